/** Entity-independent UI modules: API client base, hooks, form helpers, shared components, styles. */

export function renderHttpTs(auth: boolean): string {
  return `${auth ? "import { clearToken, getToken } from '../auth/session';\n" : ''}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ApiIssue {
  path: (string | number)[];
  message: string;
}

export interface ListParams {
  page?: number;
  pageSize?: number;
  q?: string;
  sort?: string;
  order?: 'asc' | 'desc';
}

/** A failed API call; \`issues\` holds the server's per-field validation messages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { message?: string; issues?: ApiIssue[] };
}

export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
${auth ? "  const token = getToken();\n  if (token) headers.set('Authorization', `Bearer ${token}`);\n" : ''}  const response = await fetch(path, { ...init, headers });
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
${auth ? '    if (response.status === 401) clearToken();\n' : ''}    const error = (body as ErrorBody | undefined)?.error;
    throw new ApiError(response.status, error?.message ?? \`Request failed (\${response.status})\`, error?.issues);
  }
  return body as T;
}

export interface Lister<T> {
  list(params?: ListParams): Promise<Page<T>>;
}

export interface ResourceApi<T, I> extends Lister<T> {
  get(id: number): Promise<T>;
  create(input: I): Promise<T>;
  update(id: number, input: I): Promise<T>;
  remove(id: number): Promise<void>;
}

/** The five REST calls of one entity, typed by its record and input types. */
export function createResourceApi<T, I>(basePath: string): ResourceApi<T, I> {
  return {
    list: (params = {}) => request<Page<T>>(\`\${basePath}?\${toSearchParams(params)}\`),
    get: (id) => request<T>(\`\${basePath}/\${id}\`),
    create: (input) => request<T>(basePath, { method: 'POST', body: JSON.stringify(input) }),
    update: (id, input) => request<T>(\`\${basePath}/\${id}\`, { method: 'PUT', body: JSON.stringify(input) }),
    remove: (id) => request<void>(\`\${basePath}/\${id}\`, { method: 'DELETE' }),
  };
}

function toSearchParams(params: ListParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  return search.toString();
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
`;
}

export const HOOKS_TS = `import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorMessage, type ListParams, type Lister, type Page } from '../lib/api-client';

/** Loads one page of a list; reloads when \`params\` or \`version\` change, or on \`reload()\`. */
export function usePage<T>(api: Lister<T>, params: ListParams, version: number) {
  const [data, setData] = useState<Page<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let active = true;
    api.list(params).then(
      (page) => {
        if (!active) return;
        setData(page);
        setError(null);
      },
      (failure: unknown) => {
        if (active) setError(errorMessage(failure));
      },
    );
    return () => {
      active = false;
    };
  }, [api, params, version, reloads]);

  const reload = useCallback(() => setReloads((count) => count + 1), []);
  return { data, error, reload };
}

export interface Option {
  id: number;
  label: string;
}

/** Choices for a reference select: the first page (up to 100) of the target entity. */
export function useOptions<T extends { id: number }>(api: Lister<T>, title: (item: T) => string): Option[] {
  const [options, setOptions] = useState<Option[]>([]);
  useEffect(() => {
    let active = true;
    api.list({ pageSize: 100, sort: 'createdAt', order: 'asc' }).then(
      (page) => {
        if (active) setOptions(page.items.map((item) => ({ id: item.id, label: title(item) })));
      },
      () => {
        if (active) setOptions([]);
      },
    );
    return () => {
      active = false;
    };
  }, [api, title]);
  return options;
}

/** id -> label, to show references by name in lists. */
export function useOptionLabels<T extends { id: number }>(api: Lister<T>, title: (item: T) => string) {
  const options = useOptions(api, title);
  return useMemo(() => new Map(options.map((option) => [option.id, option.label])), [options]);
}
`;

export const FORM_VALUES_TS = `/** Conversions between form control values (strings) and API values. */

export type FieldErrors = Partial<Record<string, string>>;

export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? '');
    errors[key] ??= issue.message;
  }
  return errors;
}

export function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}

/** '' -> null; anything else -> a number (NaN for junk, which validation then rejects). */
export function parseNumber(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}

export function numberText(value: number | null): string {
  return value === null ? '' : String(value);
}

/** ISO instant -> the local \`YYYY-MM-DDTHH:mm\` a datetime-local input shows. */
export function toDateTimeLocal(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (part: number) => String(part).padStart(2, '0');
  return \`\${date.getFullYear()}-\${pad(date.getMonth() + 1)}-\${pad(date.getDate())}T\${pad(date.getHours())}:\${pad(date.getMinutes())}\`;
}

export function fromDateTimeLocal(value: string): string | null {
  if (value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
`;

export const FORMAT_TS = `/** Display helpers for list cells. */

export function formatBoolean(value: boolean | null): string {
  return value === null ? '' : value ? 'Yes' : 'No';
}

/** An amount in the user's locale: \`€1,234.50\` with a known currency, \`1,234.50\` without. */
export function formatMoney(value: number | null, currency?: string): string {
  if (value === null) return '';
  const options: Intl.NumberFormatOptions =
    currency === undefined
      ? { minimumFractionDigits: 2, maximumFractionDigits: 2 }
      : { style: 'currency', currency };
  return new Intl.NumberFormat(undefined, options).format(value);
}

export function formatDateTime(value: string | null): string {
  return value === null ? '' : new Date(value).toLocaleString();
}

export function referenceLabel(labels: ReadonlyMap<number, string>, id: number | null): string {
  return id === null ? '' : (labels.get(id) ?? \`#\${id}\`);
}

export function referenceLabels(labels: ReadonlyMap<number, string>, ids: readonly number[]): string {
  return ids.map((id) => referenceLabel(labels, id)).join(', ');
}
`;

export const LIST_STATE_TS = `import type { ListParams } from './api-client';

export interface ListState<S extends string> extends ListParams {
  page: number;
  q: string;
  sort: S;
  order: 'asc' | 'desc';
}

export function initialListState<S extends string>(sort: S): ListState<S> {
  return { page: 1, q: '', sort, order: 'desc' };
}

/** Clicking a column header sorts by it ascending, then toggles the direction. */
export function toggleSort<S extends string>(state: ListState<S>, sort: S): ListState<S> {
  const order = state.sort === sort && state.order === 'asc' ? 'desc' : 'asc';
  return { ...state, sort, order, page: 1 };
}

export function ariaSort<S extends string>(state: ListState<S>, sort: S): 'ascending' | 'descending' | undefined {
  if (state.sort !== sort) return undefined;
  return state.order === 'asc' ? 'ascending' : 'descending';
}
`;

export const COMPONENTS_TSX = `import { type FormEvent, type ReactNode, useState } from 'react';

export function FormField(props: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label id={\`\${props.id}-label\`} htmlFor={props.id}>
        {props.label}
      </label>
      {props.children}
      {props.error !== undefined && (
        <p id={\`\${props.id}-error\`} className="field-error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

const starText = (value: number) => \`\${value} star\${value === 1 ? '' : 's'}\`;

/**
 * A rating input: one native radio per value (arrow keys move between them), drawn as stars.
 * Labelled by the FormField label; '' means no rating yet.
 */
export function StarRating(props: {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
  min: number;
  max: number;
  value: string;
  required?: boolean;
  onChange: (value: string) => void;
}) {
  const chosen = props.value === '' ? null : Number(props.value);
  const values = Array.from({ length: props.max - props.min + 1 }, (_, index) => props.min + index);
  return (
    <div
      id={props.id}
      className="star-rating"
      role="radiogroup"
      aria-labelledby={\`\${props.id}-label\`}
      aria-invalid={props['aria-invalid']}
      aria-describedby={props['aria-describedby']}
      aria-required={props.required}
    >
      {!props.required && (
        <label className="star-clear">
          <input type="radio" name={props.id} value="" checked={chosen === null} onChange={() => props.onChange('')} />
          None
        </label>
      )}
      {values.map((value) => (
        <label key={value} className={chosen !== null && value <= chosen ? 'star on' : 'star'}>
          <input
            type="radio"
            className="visually-hidden"
            name={props.id}
            value={value}
            checked={chosen === value}
            onChange={() => props.onChange(String(value))}
          />
          <span aria-hidden="true">{value === 0 ? '0' : '★'}</span>
          <span className="visually-hidden">{starText(value)}</span>
        </label>
      ))}
    </div>
  );
}

/** A rating shown as ★★★☆☆, read out as "3 out of 5 stars". */
export function Stars(props: { value: number | null; max: number }) {
  if (props.value === null) return null;
  const filled = Math.max(0, Math.min(props.max, Math.round(props.value)));
  return (
    <span className="stars" role="img" aria-label={\`\${props.value} out of \${props.max} stars\`}>
      {'★'.repeat(filled)}
      {'☆'.repeat(props.max - filled)}
    </span>
  );
}

export function ErrorBanner(props: { message: string }) {
  return (
    <p className="error-banner" role="alert">
      {props.message}
    </p>
  );
}

export function SearchBox(props: { value: string; onSearch: (q: string) => void }) {
  const [draft, setDraft] = useState(props.value);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    props.onSearch(draft.trim());
  };
  return (
    <form className="search" aria-label="Search" onSubmit={submit}>
      <input
        type="search"
        aria-label="Search"
        placeholder="Search…"
        maxLength={100}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit">Search</button>
    </form>
  );
}

export function Pagination(props: { page: number; pageSize: number; total: number; onChange: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav className="pagination" aria-label="Pagination">
      <button type="button" disabled={props.page <= 1} onClick={() => props.onChange(props.page - 1)}>
        Previous
      </button>
      <span>
        Page {props.page} of {pages} ({props.total} total)
      </span>
      <button type="button" disabled={props.page >= pages} onClick={() => props.onChange(props.page + 1)}>
        Next
      </button>
    </nav>
  );
}
`;
