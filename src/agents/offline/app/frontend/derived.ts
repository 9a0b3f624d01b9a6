import { Imports, lines } from '../code.js';
import type { DerivedModel } from '../derived-model.js';
import { sectionOf } from '../backend/derived.js';
import type { AppModel, EntityModel, FieldModel } from '../model.js';

/**
 * Derived values in the UI: a home page card (one line per value, a small table per grouped value,
 * a count per flag) and the hook the entity lists use to badge flagged rows.
 */
export function renderDerivedUiFiles(model: AppModel): Map<string, string> {
  if (model.derived.length === 0) return new Map();
  return new Map([
    ['src/client/derived/use-derived-values.ts', USE_DERIVED_VALUES_TS],
    ['src/client/derived/format-derived.ts', FORMAT_DERIVED_TS],
    ['src/client/derived/derived-values-card.tsx', renderCard(model)],
  ]);
}

const USE_DERIVED_VALUES_TS = `import { useEffect, useState } from 'react';
import type { DerivedValues } from '../../shared/derived-values';
import { errorMessage, request } from '../lib/api-client';

export function fetchDerivedValues(): Promise<DerivedValues> {
  return request<DerivedValues>('/api/derived-values');
}

/** The app's derived values; fetched again when \`version\` changes (a list bumps it after a save). */
export function useDerivedValues(version: number) {
  const [data, setData] = useState<DerivedValues | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    fetchDerivedValues().then(
      (values) => {
        if (!active) return;
        setData(values);
        setError(null);
      },
      (failure: unknown) => {
        if (active) setError(errorMessage(failure));
      },
    );
    return () => {
      active = false;
    };
  }, [version]);

  return { data, error };
}
`;

const FORMAT_DERIVED_TS = `import type { DerivedGroup, DerivedValue } from '../../shared/derived-values';
import { formatMoney } from '../lib/format';

export type DerivedFormat = 'number' | 'money' | 'date' | 'datetime';

/** A computed value for display: numbers to two decimals at most, money in its currency. */
export function formatDerived(value: DerivedValue, format: DerivedFormat, currency?: string): string {
  if (value === null) return '—';
  if (typeof value === 'string') return format === 'datetime' ? new Date(value).toLocaleString() : value;
  if (format === 'money') return formatMoney(value, currency);
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(value);
}

/** What a group is called: the referenced record's title, Yes/No, or the option / period itself. */
export function groupLabel(
  key: DerivedGroup['key'],
  kind: 'reference' | 'boolean' | 'value',
  titles: ReadonlyMap<number, string> = new Map(),
): string {
  if (key === null) return '(none)';
  if (kind === 'reference' && typeof key === 'number') return titles.get(key) ?? \`#\${key}\`;
  if (kind === 'boolean') return key === 1 ? 'Yes' : 'No';
  return String(key);
}
`;

/** How the card formats a value of `derived`. */
export function derivedFormat(derived: DerivedModel): 'number' | 'money' | 'date' | 'datetime' {
  if (derived.kind === 'count' || derived.kind === 'streak' || !derived.field) return 'number';
  const type = derived.field.type;
  return type === 'money' ? 'money' : type === 'date' ? 'date' : type === 'datetime' ? 'datetime' : 'number';
}

export function groupKind(field: FieldModel): 'reference' | 'boolean' | 'value' {
  return field.type === 'reference' ? 'reference' : field.type === 'boolean' ? 'boolean' : 'value';
}

function formatCall(derived: DerivedModel, value: string): string {
  const format = derivedFormat(derived);
  const currency = format === 'money' && derived.field?.currency ? `, '${derived.field.currency}'` : '';
  return `formatDerived(${value}, '${format}'${currency})`;
}

function renderCard(model: AppModel): string {
  const imports = new Imports()
    .add('../components/ui', 'ErrorBanner')
    .add('../../shared/derived-values', 'DERIVED_LABELS')
    .add('./format-derived', 'formatDerived')
    .add('./use-derived-values', 'useDerivedValues');
  const grouped = model.derived.filter((d) => sectionOf(d) === 'groups');
  if (grouped.length > 0) {
    imports.addType('../../shared/derived-values', 'DerivedGroup');
    imports.add('./format-derived', 'groupLabel');
  }
  const targets = [
    ...new Set(
      grouped.flatMap((d) =>
        d.per?.field.type === 'reference' && d.per.field.target ? [d.per.field.target] : [],
      ),
    ),
  ].map((name) => model.entity(name));
  if (targets.length > 0) imports.add('../hooks/use-page', 'useOptionLabels');
  for (const target of targets) {
    imports.add(`../api/${target.kebab}`, `${target.camel}Api`);
    imports.add(`../../shared/entities/${target.kebab}`, `${target.camel}Title`);
  }
  const titlesOf = (target: EntityModel) => `${target.camel}Names`;
  const entry = (derived: DerivedModel): string[] => {
    const id = `derived-${derived.kebab}`;
    const label = `DERIVED_LABELS.${derived.name}`;
    const section = sectionOf(derived);
    if (section === 'flags')
      return [`<dt>{${label}}</dt>`, `<dd id="${id}">{data.flags.${derived.name}.length}</dd>`];
    if (section === 'values')
      return [
        `<dt>{${label}}</dt>`,
        `<dd id="${id}">{${formatCall(derived, `data.values.${derived.name}`)}}</dd>`,
      ];
    const per = derived.per?.field;
    if (!per) throw new Error(`${derived.name} has no group`);
    const target = per.type === 'reference' && per.target ? model.entity(per.target) : undefined;
    const kind = groupKind(per);
    return [
      `<dt>{${label}}</dt>`,
      `<dd id="${id}">`,
      '  <DerivedGroupTable',
      `    label={${label}}`,
      `    groups={data.groups.${derived.name}}`,
      `    keyLabel={(key) => groupLabel(key, '${kind}'${target ? `, ${titlesOf(target)}` : ''})}`,
      `    format={(value) => ${formatCall(derived, 'value')}}`,
      '  />',
      '</dd>',
    ];
  };
  return lines(
    ...imports.render(),
    '',
    grouped.length > 0 &&
      lines(
        'interface DerivedGroupTableProps {',
        '  label: string;',
        '  groups: readonly DerivedGroup[];',
        "  keyLabel: (key: DerivedGroup['key']) => string;",
        "  format: (value: DerivedGroup['value']) => string;",
        '}',
        '',
        '/** One row per group: what the group is, and its value. */',
        'function DerivedGroupTable({ label, groups, keyLabel, format }: DerivedGroupTableProps) {',
        '  if (groups.length === 0) return <span className="empty">Nothing yet</span>;',
        '  return (',
        '    <table className="derived-groups" aria-label={label}>',
        '      <tbody>',
        '        {groups.map((group) => (',
        '          <tr key={String(group.key)}>',
        '            <th scope="row">{keyLabel(group.key)}</th>',
        '            <td>{format(group.value)}</td>',
        '          </tr>',
        '        ))}',
        '      </tbody>',
        '    </table>',
        '  );',
        '}',
        '',
      ),
    '/** The home page card of values computed from the rows (totals, averages, streaks, flags). */',
    'export function DerivedValuesCard() {',
    '  const { data, error } = useDerivedValues(0);',
    ...targets.map((t) => `  const ${titlesOf(t)} = useOptionLabels(${t.camel}Api, ${t.camel}Title);`),
    '  return (',
    '    <section id="home-derived" className="summary" aria-labelledby="home-derived-heading">',
    '      <h2 id="home-derived-heading">At a glance</h2>',
    '      {error !== null && <ErrorBanner message={error} />}',
    '      {data && (',
    '        <dl className="derived">',
    ...model.derived.flatMap(entry).map((line) => `          ${line}`),
    '        </dl>',
    '      )}',
    '    </section>',
    '  );',
    '}',
    '',
  );
}
