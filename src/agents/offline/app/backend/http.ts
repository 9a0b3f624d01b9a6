/** `src/server/http/*`: errors, list queries and reference checks shared by every entity router. */

export const ERRORS_TS = `import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodError } from 'zod';

export interface Issue {
  path: (string | number)[];
  message: string;
}

/** An error with an HTTP status; its message is safe to show to API clients. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly Issue[] = [],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function badRequest(message: string, issues: readonly Issue[] = []): HttpError {
  return new HttpError(400, message, issues);
}

export function notFound(what: string): HttpError {
  return new HttpError(404, \`\${what} not found\`);
}

export function orNotFound<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw notFound(what);
  return value;
}

export function issuesOf(error: ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    message: issue.message,
  }));
}

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, \`No route for \${req.method} \${req.path}\`));
};

export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const httpError = toHttpError(error);
  if (httpError.status >= 500) console.error(error);
  res.status(httpError.status).json({
    error: {
      message: httpError.message,
      ...(httpError.issues.length > 0 ? { issues: httpError.issues } : {}),
    },
  });
};

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isClientError(error)) return new HttpError(error.status, error.message);
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('UNIQUE constraint failed')) {
    return new HttpError(409, 'Another record already has this value.');
  }
  if (message.startsWith('FOREIGN KEY constraint failed')) {
    return new HttpError(409, 'Other records still point at this one; change or delete them first.');
  }
  return new HttpError(500, 'Internal server error');
}

/** Errors from express.json() (malformed JSON, body too large) carry a 4xx \`status\` and a safe message. */
function isClientError(error: unknown): error is { status: number; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}
`;

export const LIST_QUERY_TS = `import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_SEARCH_LENGTH } from '../performance/limits';
import { badRequest, issuesOf } from './errors';

export interface ListQuery<S extends string> {
  page: number;
  pageSize: number;
  q: string | undefined;
  sort: S;
  order: 'asc' | 'desc';
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Parses \`?page=&pageSize=&q=&sort=&order=\`; the first sort field is the default (newest first). */
export function parseListQuery<S extends string>(query: unknown, sortFields: readonly [S, ...S[]]): ListQuery<S> {
  const schema = z.object({
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    q: z.string().trim().max(MAX_SEARCH_LENGTH).optional(),
    sort: z.enum(sortFields).default(sortFields[0]),
    order: z.enum(['asc', 'desc']).default('desc'),
  });
  const result = schema.safeParse(query);
  if (!result.success) throw badRequest('Invalid list query', issuesOf(result.error));
  const { q, ...rest } = result.data;
  return { ...rest, sort: rest.sort as S, q: q === '' ? undefined : q };
}

/** A \`WHERE\` clause matching \`q\` as a substring of any of \`columns\`, LIKE wildcards escaped. */
export function searchClause(columns: readonly string[], q: string | undefined): { sql: string; params: string[] } {
  if (q === undefined || columns.length === 0) return { sql: '', params: [] };
  const pattern = \`%\${q.replace(/[\\\\%_]/g, (char) => \`\\\\\${char}\`)}%\`;
  return {
    sql: \`WHERE \${columns.map((column) => \`\${column} LIKE ? ESCAPE '\\\\'\`).join(' OR ')}\`,
    params: columns.map(() => pattern),
  };
}
`;

export const REFERENCES_TS = `import type { Database } from '../db/database';
import { missingIds } from '../db/links';
import { badRequest, type Issue } from './errors';

export interface ReferenceCheck {
  field: string;
  table: string;
  ids: readonly (number | null | undefined)[];
}

/** Rejects a body whose reference fields point at rows that do not exist (400, one issue per field). */
export function assertReferencesExist(db: Database, checks: readonly ReferenceCheck[]): void {
  const issues: Issue[] = [];
  for (const check of checks) {
    const ids = check.ids.filter((id): id is number => typeof id === 'number');
    const missing = missingIds(db, check.table, ids);
    if (missing.length > 0) issues.push({ path: [check.field], message: \`Unknown id: \${missing.join(', ')}\` });
  }
  if (issues.length > 0) throw badRequest('Some referenced records do not exist', issues);
}
`;
