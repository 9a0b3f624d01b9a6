import { Imports, lines, tsString } from '../code.js';
import { sectionOf } from '../backend/derived.js';
import type { DerivedModel } from '../derived-model.js';
import { derivedFormat, groupKind } from '../frontend/derived.js';
import type { AppModel, FieldModel } from '../model.js';
import { uiSample } from './entity-tests.js';
import { API_TEST_SETUP } from './helpers.js';

/**
 * `tests/api/derived-values.test.ts`: rows with known values in, the exact aggregate out (expected
 * values are worked out here, at generation time, from the same rows). `tests/ui/derived-values.test.tsx`:
 * the home card and the row badges show what the API answers.
 */

type Literal = number | string;

/** Three values of `field` inside its range: low, high, and between. */
function measureValues(field: FieldModel): [Literal, Literal, Literal] {
  if (field.type === 'date') return ['2024-01-01', '2024-01-02', '2024-01-05'];
  if (field.type === 'datetime')
    return ['2024-01-01T12:00:00.000Z', '2024-01-02T12:00:00.000Z', '2024-01-05T12:00:00.000Z'];
  const low = field.min ?? (field.max !== undefined ? field.max - 7 : 2);
  const high = field.max ?? low + 7;
  const middle =
    field.type === 'integer'
      ? Math.floor((low + high) / 2)
      : field.type === 'money'
        ? Math.round(((low + high) / 2) * 100) / 100
        : (low + high) / 2;
  return [low, high, middle];
}

function aggregate(kind: DerivedModel['kind'], values: readonly Literal[]): Literal {
  const numbers = values.map(Number);
  switch (kind) {
    case 'count':
      return values.length;
    case 'sum':
      return numbers.reduce((a, b) => a + b, 0);
    case 'average':
      return numbers.reduce((a, b) => a + b, 0) / numbers.length;
    case 'min':
      return values.reduce((a, b) => (b < a ? b : a));
    case 'max':
      return values.reduce((a, b) => (b > a ? b : a));
    case 'latest':
      return values[values.length - 1] ?? '';
    case 'streak':
      return longestRun(values.map((v) => String(v).slice(0, 10)));
    case 'flag':
      throw new Error('a flag is not an aggregate');
  }
}

function longestRun(days: readonly string[]): number {
  const sorted = [...new Set(days)].sort();
  let longest = 0;
  let run = 0;
  let previous = Number.NaN;
  for (const day of sorted) {
    const time = Date.parse(`${day}T00:00:00Z`);
    run = time - previous === 86_400_000 ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = time;
  }
  return longest;
}

const literal = (value: Literal) => (typeof value === 'number' ? String(value) : tsString(value));
const matcher = (value: Literal) =>
  typeof value === 'number' ? `toBeCloseTo(${value}, 6)` : `toBe(${tsString(value)})`;

/** Two groups' field values and the keys the API reports for them (code expressions). */
function groupPlan(
  model: AppModel,
  derived: DerivedModel,
): {
  setup: string[];
  values: [string, string];
  keys: [string, string];
} {
  const per = derived.per;
  if (!per) throw new Error(`${derived.name} is not grouped`);
  const field = per.field;
  if (per.period) {
    const suffix = field.type === 'datetime' ? 'T12:00:00.000Z' : '';
    const keys: Record<string, [string, string]> = {
      day: ['2024-01-10', '2024-06-15'],
      week: ['2024-01-08', '2024-06-10'],
      month: ['2024-01', '2024-06'],
    };
    const [first, second] = keys[per.period] ?? ['', ''];
    return {
      setup: [],
      values: [tsString(`2024-01-10${suffix}`), tsString(`2024-06-15${suffix}`)],
      keys: [tsString(first), tsString(second)],
    };
  }
  switch (field.type) {
    case 'reference': {
      const target = model.entity(field.target ?? derived.entity.specName);
      return {
        setup: [
          `    const first = (await fixtures.${target.camel}()).id;`,
          `    const second = (await fixtures.${target.camel}()).id;`,
        ],
        values: ['first', 'second'],
        keys: ['first', 'second'],
      };
    }
    case 'enum': {
      const [a = '', b = ''] = field.enumValues;
      return { setup: [], values: [tsString(a), tsString(b)], keys: [tsString(a), tsString(b)] };
    }
    case 'boolean':
      return { setup: [], values: ['true', 'false'], keys: ['1', '0'] };
    default:
      return { setup: [], values: ["'Group A'", "'Group B'"], keys: ["'Group A'", "'Group B'"] };
  }
}

function aggregateTest(model: AppModel, derived: DerivedModel): string {
  const camel = derived.entity.camel;
  const measured = derived.field ? measureValues(derived.field) : undefined;
  const row = (index: number, group?: string) => {
    const parts = [
      measured && derived.field ? `${derived.field.name}: ${literal(measured[index] ?? 0)}` : undefined,
      group !== undefined && derived.per ? `${derived.per.field.name}: ${group}` : undefined,
    ].filter((part) => part !== undefined);
    return `    await fixtures.${camel}(${parts.length > 0 ? `{ ${parts.join(', ')} }` : ''});`;
  };
  const values = measured ?? [0, 0, 0];
  // the name is unique, labels may repeat
  const title = `  it(${tsString(`computes ${derived.name}: ${derived.label}`)}, async () => {`;
  if (!derived.per) {
    return lines(
      title,
      row(0),
      row(1),
      row(2),
      "    const res = await ctx.get('/api/derived-values').expect(200);",
      `    expect(res.body.values.${derived.name}).${matcher(aggregate(derived.kind, values))};`,
      '  });',
    );
  }
  const plan = groupPlan(model, derived);
  return lines(
    title,
    ...plan.setup,
    row(0, plan.values[0]),
    row(1, plan.values[0]),
    row(2, plan.values[1]),
    "    const res = await ctx.get('/api/derived-values').expect(200);",
    `    const groups: DerivedGroup[] = res.body.groups.${derived.name};`,
    `    expect(groupValue(groups, ${plan.keys[0]})).${matcher(aggregate(derived.kind, values.slice(0, 2)))};`,
    `    expect(groupValue(groups, ${plan.keys[1]})).${matcher(aggregate(derived.kind, values.slice(2)))};`,
    '  });',
  );
}

const holds = (value: number, op: string, limit: number) =>
  op === '<' ? value < limit : op === '<=' ? value <= limit : op === '>' ? value > limit : value >= limit;

/** A value the flag marks and one it does not, inside the field's range (either may not exist). */
function flagValues(derived: DerivedModel): { hit?: string; miss?: string } {
  const field = derived.field;
  const condition = derived.condition;
  if (!field || !condition) throw new Error(`flag ${derived.name} has no condition`);
  if (condition.value === 'today') {
    const suffix = field.type === 'datetime' ? 'T12:00:00.000Z' : '';
    const past = tsString(`2000-01-01${suffix}`);
    const future = tsString(`2999-12-31${suffix}`);
    return condition.op.startsWith('<') ? { hit: past, miss: future } : { hit: future, miss: past };
  }
  // money is compared in whole cents, as the server stores it
  const limit = field.type === 'money' ? Math.round(condition.value * 100) / 100 : condition.value;
  const step = field.type === 'integer' ? 1 : 0.01;
  const fit = (v: number) => (field.type === 'integer' ? Math.round(v) : Math.round(v * 100) / 100);
  const low = field.min ?? limit - 10;
  const high = field.max ?? limit + 10;
  // boundary values first, so `<` and `<=` (or `>` and `>=`) are told apart
  const candidates = [limit, limit - step, limit + step, Math.floor(limit), Math.ceil(limit), low, high]
    .map(fit)
    .filter((v) => v >= low && v <= high);
  const hit = candidates.find((v) => holds(v, condition.op, limit));
  const miss = candidates.find((v) => !holds(v, condition.op, limit));
  return {
    ...(hit !== undefined ? { hit: String(hit) } : {}),
    ...(miss !== undefined ? { miss: String(miss) } : {}),
  };
}

function flagTest(derived: DerivedModel): string {
  const { hit, miss } = flagValues(derived);
  const camel = derived.entity.camel;
  const name = derived.field?.name ?? '';
  return lines(
    `  it(${tsString(`flags the rows ${derived.name} (${derived.label}) marks`)}, async () => {`,
    hit !== undefined && `    const hit = await fixtures.${camel}({ ${name}: ${hit} });`,
    miss !== undefined && `    await fixtures.${camel}({ ${name}: ${miss} });`,
    "    const res = await ctx.get('/api/derived-values').expect(200);",
    `    expect(res.body.flags.${derived.name}).toEqual(${hit !== undefined ? '[hit.id]' : '[]'});`,
    '  });',
  );
}

export function renderDerivedApiTest(model: AppModel): string {
  const grouped = model.derived.some((d) => sectionOf(d) === 'groups');
  return lines(
    "import { afterEach, beforeEach, describe, expect, it } from 'vitest';",
    grouped && "import type { DerivedGroup } from '../../src/shared/derived-values';",
    "import { createTestContext, type TestContext } from '../helpers/context';",
    "import { createFixtures, type Fixtures } from '../helpers/fixtures';",
    '',
    grouped &&
      "const groupValue = (groups: DerivedGroup[], key: DerivedGroup['key']) => groups.find((group) => group.key === key)?.value;",
    grouped && '',
    "describe('GET /api/derived-values', () => {",
    ...API_TEST_SETUP,
    '',
    "  it('answers no values before any row exists', async () => {",
    "    const res = await ctx.get('/api/derived-values').expect(200);",
    '    expect(res.body).toEqual(NO_DERIVED_VALUES_EXPECTED);',
    '  });',
    ...model.derived.flatMap((d) => ['', d.kind === 'flag' ? flagTest(d) : aggregateTest(model, d)]),
    '});',
    '',
  ).replace('NO_DERIVED_VALUES_EXPECTED', emptyExpectation(model));
}

/** What an empty database answers: counts and streaks are 0, other values null, no groups or flags. */
function emptyExpectation(model: AppModel): string {
  const section = (name: 'values' | 'groups' | 'flags') =>
    `${name}: { ${model.derived
      .filter((d) => sectionOf(d) === name)
      .map(
        (d) =>
          `${d.name}: ${name === 'values' ? (d.kind === 'count' || d.kind === 'streak' ? '0' : 'null') : '[]'}`,
      )
      .join(', ')} }`;
  return `{ ${section('values')}, ${section('groups')}, ${section('flags')} }`;
}

/** A sample value for the card, and the text the card shows for it. */
function shownValue(derived: DerivedModel, value: number): { value: string; text: string } {
  const format = derivedFormat(derived);
  if (format === 'date') return { value: "'2024-03-04'", text: "'2024-03-04'" };
  if (format === 'datetime')
    return {
      value: "'2024-03-04T05:06:07.000Z'",
      text: "new Date('2024-03-04T05:06:07.000Z').toLocaleString()",
    };
  if (format === 'money') {
    const currency = derived.field?.currency ? `, '${derived.field.currency}'` : '';
    return { value: String(value), text: `formatMoney(${value}${currency})` };
  }
  return { value: String(value), text: tsString(String(value)) };
}

/** Two group keys for the card, and the names it shows for them. */
function shownKeys(derived: DerivedModel): [key: string, text: string][] {
  const field = derived.per?.field;
  if (!field) return [];
  switch (groupKind(field)) {
    case 'reference':
      return [
        ['7', "'#7'"],
        ['8', "'#8'"],
      ];
    case 'boolean':
      return [
        ['1', "'Yes'"],
        ['0', "'No'"],
      ];
    default: {
      const [a, b] =
        field.type === 'enum'
          ? [field.enumValues[0] ?? 'a', field.enumValues[1] ?? 'b']
          : ['2024-01', 'Group B'];
      return [
        [tsString(a), tsString(a)],
        [tsString(b), tsString(b)],
      ];
    }
  }
}

export function renderDerivedUiTest(model: AppModel): string {
  const imports = new Imports()
    .add('@testing-library/react', 'render')
    .add('vitest', 'describe', 'expect', 'it', 'vi')
    .add('../../src/client/derived/derived-values-card', 'DerivedValuesCard')
    .addType('../../src/shared/derived-values', 'DerivedValues')
    .add('../helpers/fetch-stub', 'stubFetch');
  if (model.derived.some((d) => derivedFormat(d) === 'money' && d.kind !== 'flag'))
    imports.add('../../src/client/lib/format', 'formatMoney');
  const flagged = [...new Set(model.derived.filter((d) => d.kind === 'flag').map((d) => d.entity))];
  for (const entity of flagged) {
    imports.add(`../../src/client/entities/${entity.kebab}/${entity.kebab}-list`, `${entity.name}List`);
    imports.addType(`../../src/shared/entities/${entity.kebab}`, entity.name);
    imports.add('../../src/shared/derived-values', 'DERIVED_LABELS');
  }
  const body = (section: 'values' | 'groups' | 'flags') =>
    model.derived
      .filter((d) => sectionOf(d) === section)
      .map((d) => {
        const index = model.derived.indexOf(d);
        if (section === 'flags') return `    ${d.name}: [1, 2],`;
        const shown = shownValue(d, 7 + index);
        if (section === 'values') return `    ${d.name}: ${shown.value},`;
        const second = shownValue(d, 12 + index);
        const [[k1], [k2]] = shownKeys(d) as [[string, string], [string, string]];
        return `    ${d.name}: [{ key: ${k1}, value: ${shown.value} }, { key: ${k2}, value: ${second.value} }],`;
      });
  const checks = model.derived.map((d, index) => {
    const element = `container.querySelector('#derived-${d.kebab}')`;
    const section = sectionOf(d);
    if (section === 'flags') return `    expect(${element}?.textContent).toBe('2');`;
    if (section === 'values')
      return `    expect(${element}?.textContent).toBe(${shownValue(d, 7 + index).text});`;
    const [[, t1], [, t2]] = shownKeys(d) as [[string, string], [string, string]];
    return `    expect(cells(${element})).toEqual([[${t1}, ${shownValue(d, 7 + index).text}], [${t2}, ${shownValue(d, 12 + index).text}]]);`;
  });
  const section = (name: 'values' | 'groups' | 'flags') => {
    const entries = body(name);
    return entries.length > 0 ? [`  ${name}: {`, ...entries, '  },'] : [`  ${name}: {},`];
  };
  const grouped = model.derived.some((d) => sectionOf(d) === 'groups');
  return lines(
    '// @vitest-environment happy-dom',
    ...imports.render(),
    '',
    'const answer: DerivedValues = {',
    ...section('values'),
    ...section('groups'),
    ...section('flags'),
    '};',
    '',
    grouped &&
      lines(
        "/** The [group, value] text of each row of a grouped value's table. */",
        'function cells(element: Element | null): string[][] {',
        "  return [...(element?.querySelectorAll('tbody tr') ?? [])].map((row) =>",
        "    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),",
        '  );',
        '}',
        '',
      ),
    "describe('derived values UI', () => {",
    "  it('shows every derived value on the home card', async () => {",
    "    stubFetch({}, { '/api/derived-values': answer });",
    '    const { container } = render(<DerivedValuesCard />);',
    '    await vi.waitFor(() => {',
    ...checks.map((check) => `  ${check}`),
    '    });',
    '  });',
    ...flagged.flatMap((entity) => {
      const flags = model.derived.filter((d) => d.kind === 'flag' && d.entity === entity);
      return [
        '',
        `  it('badges the ${entity.plural} rows each flag marks', async () => {`,
        `    const sample: ${entity.name} = {`,
        '      id: 1,',
        ...entity.fields.map((field) => `      ${field.name}: ${uiSample(field)},`),
        "      createdAt: '2024-01-01T00:00:00.000Z',",
        "      updatedAt: '2024-01-01T00:00:00.000Z',",
        '    };',
        `    const flags = { ${flags.map((f) => `${f.name}: [1]`).join(', ')} };`,
        `    stubFetch({ '${entity.route}': [sample, { ...sample, id: 2 }] }, { '/api/derived-values': { ...answer, flags: { ...answer.flags, ...flags } } });`,
        `    const { container } = render(<${entity.name}List version={0} onEdit={vi.fn()} />);`,
        "    const badges = (row: number) => [...(container.querySelectorAll('tbody tr')[row]?.querySelectorAll('.badge.flag') ?? [])].map((b) => b.textContent);",
        `    await vi.waitFor(() => expect(badges(0)).toEqual([${flags.map((f) => `DERIVED_LABELS.${f.name}`).join(', ')}]));`,
        '    expect(badges(1)).toEqual([]);',
        '  });',
      ];
    }),
    '});',
    '',
  );
}
