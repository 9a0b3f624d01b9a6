import { lines, tsString } from '../code.js';
import type { DerivedModel } from '../derived-model.js';
import type { AppModel, FieldModel } from '../model.js';

/**
 * Derived values on the server: `src/shared/derived-values.ts` (the response type and labels),
 * `src/server/derived/{aggregates,compute,router}.ts`. Each value is one SQL statement built here
 * from validated identifiers only, computed on every request so it is never stale.
 */
export function renderDerivedFiles(model: AppModel): Map<string, string> {
  if (model.derived.length === 0) return new Map();
  return new Map([
    ['src/shared/derived-values.ts', renderSharedDerived(model)],
    ['src/server/derived/aggregates.ts', AGGREGATES_TS],
    ['src/server/derived/compute.ts', renderCompute(model)],
    ['src/server/derived/router.ts', ROUTER_TS],
  ]);
}

/** Where a value lands in `DerivedValues`: one number, one number per group, or flagged row ids. */
export function sectionOf(derived: DerivedModel): 'values' | 'groups' | 'flags' {
  return derived.kind === 'flag' ? 'flags' : derived.per ? 'groups' : 'values';
}

function renderSharedDerived(model: AppModel): string {
  const section = (name: 'values' | 'groups' | 'flags', type: string) => {
    const members = model.derived.filter((d) => sectionOf(d) === name);
    if (members.length === 0) return [`  ${name}: Record<string, never>;`];
    return [`  ${name}: {`, ...members.map((d) => `    ${d.name}: ${type};`), '  };'];
  };
  const empty = (name: 'values' | 'groups' | 'flags', value: string) =>
    `  ${name}: { ${model.derived
      .filter((d) => sectionOf(d) === name)
      .map((d) => `${d.name}: ${value}`)
      .join(', ')} },`;
  return lines(
    '/** Values computed from the stored rows, as `GET /api/derived-values` answers them. */',
    '',
    '/** A number (money in whole units), a date, or null when no row has a value. */',
    'export type DerivedValue = number | string | null;',
    '',
    '/** One group: a referenced id, an option, a yes/no (1/0) or a period (`2024-01`, week of `2024-01-08`). */',
    'export interface DerivedGroup {',
    '  key: number | string | null;',
    '  value: DerivedValue;',
    '}',
    '',
    'export interface DerivedValues {',
    ...section('values', 'DerivedValue'),
    '  /** Per group, ordered by key. */',
    ...section('groups', 'DerivedGroup[]'),
    '  /** The ids of the rows each flag marks. */',
    ...section('flags', 'number[]'),
    '}',
    '',
    'export const DERIVED_LABELS = {',
    ...model.derived.map((d) => `  ${d.name}: ${tsString(d.label)},`),
    '} as const;',
    '',
    '/** What the API answers before any row exists. */',
    'export const NO_DERIVED_VALUES: DerivedValues = {',
    empty('values', 'null'),
    empty('groups', '[]'),
    empty('flags', '[]'),
    '};',
    '',
  );
}

const AGGREGATES_TS = `import type { SqlValue } from 'sql.js';
import type { DerivedGroup, DerivedValue } from '../../shared/derived-values';
import type { Database } from '../db/database';

/** Helpers that run one aggregate statement; \`scale\` is 100 for money, which is stored in cents. */

function toValue(value: SqlValue | undefined, scale: number): DerivedValue {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value / scale : String(value);
}

function toKey(value: SqlValue | undefined): number | string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : String(value);
}

function byKey(a: DerivedGroup, b: DerivedGroup): number {
  if (a.key === b.key) return 0;
  if (a.key === null) return -1;
  if (b.key === null) return 1;
  return a.key < b.key ? -1 : 1;
}

/** \`SELECT … AS result\`: one value. */
export function scalar(db: Database, sql: string, scale = 1): DerivedValue {
  return toValue(db.get(sql)?.result, scale);
}

/** \`SELECT … AS group_key, … AS result … GROUP BY group_key\`: one value per group. */
export function grouped(db: Database, sql: string, scale = 1): DerivedGroup[] {
  return db
    .all(sql)
    .map((row) => ({ key: toKey(row.group_key), value: toValue(row.result, scale) }))
    .sort(byKey);
}

/** Rows newest first (\`group_key\`, \`result\`): the newest value of each group. */
export function latestByGroup(db: Database, sql: string, scale = 1): DerivedGroup[] {
  const latest = new Map<number | string | null, DerivedValue>();
  for (const row of db.all(sql)) {
    const key = toKey(row.group_key);
    if (!latest.has(key)) latest.set(key, toValue(row.result, scale));
  }
  return [...latest].map(([key, value]) => ({ key, value })).sort(byKey);
}

/** The longest run of consecutive calendar days among sorted, distinct \`YYYY-MM-DD\` days. */
export function longestRun(days: readonly string[]): number {
  const DAY = 86_400_000;
  let longest = 0;
  let run = 0;
  let previous = Number.NaN;
  for (const day of days) {
    const time = Date.parse(\`\${day}T00:00:00Z\`);
    run = time - previous === DAY ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = time;
  }
  return longest;
}

/** \`SELECT DISTINCT … AS day … ORDER BY day\`: the longest streak of days. */
export function streak(db: Database, sql: string): number {
  return longestRun(db.all(sql).map((row) => String(row.day)));
}

/** \`SELECT DISTINCT … AS group_key, … AS day … ORDER BY group_key, day\`: the longest streak per group. */
export function streaksByGroup(db: Database, sql: string): DerivedGroup[] {
  const days = new Map<number | string | null, string[]>();
  for (const row of db.all(sql)) {
    const key = toKey(row.group_key);
    days.set(key, [...(days.get(key) ?? []), String(row.day)]);
  }
  return [...days].map(([key, list]) => ({ key, value: longestRun(list) })).sort(byKey);
}

/** \`SELECT id … WHERE …\`: the ids of the rows a flag marks. */
export function flagged(db: Database, sql: string, limit: SqlValue): number[] {
  return db.all(sql, [limit]).map((row) => Number(row.id));
}

/** Today as stored in date columns (UTC). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Now as stored in datetime columns. */
export function now(): string {
  return new Date().toISOString();
}
`;

const ROUTER_TS = `import { Router } from 'express';
import type { Database } from '../db/database';
import { computeDerivedValues } from './compute';

/** \`GET /api/derived-values\`: every derived value, computed from the rows as they are now. */
export function createDerivedValuesRouter(db: Database): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(computeDerivedValues(db));
  });
  return router;
}
`;

const scaleOf = (field: FieldModel | undefined) => (field?.type === 'money' ? 100 : 1);

/** The SQL expression a row's group key is. */
function keySql(derived: DerivedModel): string {
  const per = derived.per;
  if (!per) return '';
  const column = per.field.column ?? per.field.name;
  switch (per.period) {
    case 'day':
      return `substr(${column}, 1, 10)`;
    case 'month':
      return `substr(${column}, 1, 7)`;
    case 'week':
      // the Monday of the row's week
      return `date(substr(${column}, 1, 10), 'weekday 0', '-6 days')`;
    default:
      return column;
  }
}

const SQL_FUNCTIONS = { count: 'COUNT', sum: 'SUM', average: 'AVG', min: 'MIN', max: 'MAX' } as const;

/** The helper call that computes one value: `helper(db, "SQL", …)`. */
export function computeCall(derived: DerivedModel): { helper: string; call: string } {
  const table = derived.entity.table;
  const column = derived.field?.column ?? '';
  const scale = scaleOf(derived.field);
  const scaled = scale === 1 ? '' : `, ${scale}`;
  const key = keySql(derived);
  // built from validated identifiers only, so plain JSON quoting keeps the SQL readable
  const sql = (text: string) => JSON.stringify(text);
  switch (derived.kind) {
    case 'flag': {
      const condition = derived.condition;
      if (!condition) throw new Error(`flag ${derived.name} has no condition`);
      const limit =
        condition.value !== 'today'
          ? String(derived.field?.type === 'money' ? Math.round(condition.value * 100) : condition.value)
          : derived.field?.type === 'datetime'
            ? 'now()'
            : 'today()';
      return {
        helper: 'flagged',
        call: `flagged(db, ${sql(`SELECT id FROM ${table} WHERE ${column} ${condition.op} ? ORDER BY id`)}, ${limit})`,
      };
    }
    case 'streak': {
      const day = `substr(${column}, 1, 10)`;
      return key
        ? {
            helper: 'streaksByGroup',
            call: `streaksByGroup(db, ${sql(`SELECT DISTINCT ${key} AS group_key, ${day} AS day FROM ${table} WHERE ${column} IS NOT NULL ORDER BY group_key, day`)})`,
          }
        : {
            helper: 'streak',
            call: `streak(db, ${sql(`SELECT DISTINCT ${day} AS day FROM ${table} WHERE ${column} IS NOT NULL ORDER BY day`)})`,
          };
    }
    case 'latest':
      return key
        ? {
            helper: 'latestByGroup',
            call: `latestByGroup(db, ${sql(`SELECT ${key} AS group_key, ${column} AS result FROM ${table} WHERE ${column} IS NOT NULL ORDER BY created_at DESC, id DESC`)}${scaled})`,
          }
        : {
            helper: 'scalar',
            call: `scalar(db, ${sql(`SELECT ${column} AS result FROM ${table} WHERE ${column} IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1`)}${scaled})`,
          };
    default: {
      const measure = `${SQL_FUNCTIONS[derived.kind]}(${derived.kind === 'count' ? '*' : column})`;
      return key
        ? {
            helper: 'grouped',
            call: `grouped(db, ${sql(`SELECT ${key} AS group_key, ${measure} AS result FROM ${table} GROUP BY group_key`)}${scaled})`,
          }
        : {
            helper: 'scalar',
            call: `scalar(db, ${sql(`SELECT ${measure} AS result FROM ${table}`)}${scaled})`,
          };
    }
  }
}

function renderCompute(model: AppModel): string {
  const calls = model.derived.map((d) => ({ derived: d, ...computeCall(d) }));
  const helpers = new Set(calls.map((c) => c.helper));
  if (calls.some((c) => c.call.endsWith(', today())'))) helpers.add('today');
  if (calls.some((c) => c.call.endsWith(', now())'))) helpers.add('now');
  const section = (name: 'values' | 'groups' | 'flags') => {
    const members = calls.filter((c) => sectionOf(c.derived) === name);
    if (members.length === 0) return [`    ${name}: {},`];
    return [`    ${name}: {`, ...members.map((c) => `      ${c.derived.name}: ${c.call},`), '    },'];
  };
  return lines(
    "import type { DerivedValues } from '../../shared/derived-values';",
    "import type { Database } from '../db/database';",
    `import { ${[...helpers].sort().join(', ')} } from './aggregates';`,
    '',
    '/** Every derived value of the app, each one SQL statement over the current rows. */',
    'export function computeDerivedValues(db: Database): DerivedValues {',
    '  return {',
    ...section('values'),
    ...section('groups'),
    ...section('flags'),
    '  };',
    '}',
    '',
  );
}
