import type { FieldType } from '../../../../core/domain/spec.js';
import { lines } from '../code.js';
import type { AppModel, EntityModel, FieldModel } from '../model.js';

/** `tests/helpers/*` and `vitest.config.ts`. */

export function renderContext(model: AppModel): string {
  const auth = model.features.auth;
  return lines(
    "import request from 'supertest';",
    "import { createApp } from '../../src/server/app';",
    "import { type Database, IN_MEMORY, openDatabase } from '../../src/server/db/database';",
    '',
    'export interface TestContextOptions {',
    auth && '  /** Register a user and send its token with every request (default true). */',
    auth && '  signedIn?: boolean;',
    '  rateLimitPerMinute?: number;',
    '}',
    '',
    '/** A fresh app on an in-memory database, with request helpers. */',
    'export interface TestContext {',
    '  db: Database;',
    '  get(path: string): request.Test;',
    '  post(path: string, body?: object): request.Test;',
    '  put(path: string, body: object): request.Test;',
    '  patch(path: string, body: object): request.Test;',
    '  delete(path: string): request.Test;',
    '  close(): void;',
    '}',
    '',
    'export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {',
    '  const db = await openDatabase(IN_MEMORY);',
    '  const agent = request(createApp({ db, rateLimitPerMinute: options.rateLimitPerMinute ?? 10_000 }));',
    auth ? '  let headers: Record<string, string> = {};' : '  const headers: Record<string, string> = {};',
    auth && '  if (options.signedIn ?? true) {',
    auth && '    const res = await agent',
    auth && "      .post('/api/auth/register')",
    auth && "      .send({ email: 'tester@example.com', password: 'correct horse battery staple' })",
    auth && '      .expect(201);',
    auth && '    headers = { Authorization: `Bearer ${res.body.token}` };',
    auth && '  }',
    '  return {',
    '    db,',
    '    get: (path) => agent.get(path).set(headers),',
    '    post: (path, body) => {',
    '      const test = agent.post(path).set(headers);',
    '      return body === undefined ? test : test.send(body);',
    '    },',
    '    put: (path, body) => agent.put(path).set(headers).send(body),',
    '    patch: (path, body) => agent.patch(path).set(headers).send(body),',
    '    delete: (path) => agent.delete(path).set(headers),',
    '    close: () => db.close(),',
    '  };',
    '}',
    '',
  );
}

/** `tests/helpers/fetch-stub.ts`; apps with derived values answer their endpoint with no values by default. */
export function renderFetchStub(model: AppModel): string {
  const derived = model.derived.length > 0;
  return lines(
    "import { vi } from 'vitest';",
    derived && "import { NO_DERIVED_VALUES } from '../../src/shared/derived-values';",
    '',
    '/**',
    ' * Replaces fetch for UI tests: GET paths starting with a key of `pages` answer that list page, a',
    ' * path of `bodies` answers that body; any other list answers an empty page.',
    ' */',
    'export function stubFetch(pages: Record<string, unknown[]> = {}, bodies: Record<string, unknown> = {}): void {',
    derived
      ? "  const answers: Record<string, unknown> = { '/api/derived-values': NO_DERIVED_VALUES, ...bodies };"
      : '  const answers: Record<string, unknown> = bodies;',
    '  vi.stubGlobal(',
    "    'fetch',",
    '    vi.fn(async (input: RequestInfo | URL) => {',
    "      const url = new URL(String(input), 'http://localhost');",
    '      const answer = answers[url.pathname];',
    '      const items = Object.entries(pages).find(([path]) => url.pathname === path)?.[1] ?? [];',
    '      const body = answer !== undefined ? answer : { items, total: items.length, page: 1, pageSize: 20 };',
    "      return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });",
    '    }),',
    '  );',
    '}',
    '',
  );
}

/** Whether fixtures fill this relation (never through a cycle, so fixture creation always ends). */
export function fillsRelation(model: AppModel, entity: EntityModel, field: FieldModel): boolean {
  if (field.required) return true;
  const seen = new Set<string>();
  const stack = [field.target ?? entity.specName];
  while (stack.length > 0) {
    const current = stack.pop() ?? '';
    if (current === entity.specName) return false;
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...model.entity(current).targets);
  }
  return true;
}

export function renderFixtures(model: AppModel): string {
  const numbered = model.entities.some((e) => e.fields.some(usesSequence));
  const imports = [...model.entities]
    .sort((a, b) => (a.kebab < b.kebab ? -1 : 1))
    .map((e) => `import type { ${e.name}, ${e.name}Input } from '../../src/shared/entities/${e.kebab}';`);
  return lines(
    ...imports,
    "import type { TestContext } from './context';",
    '',
    '/** Valid, distinct records created through the API (referenced records are created first). */',
    'export interface Fixtures {',
    ...model.entities.flatMap((e) => [
      `  ${e.camel}Input(): Promise<${e.name}Input>;`,
      `  ${e.camel}(overrides?: Partial<${e.name}Input>): Promise<${e.name}>;`,
    ]),
    '}',
    '',
    'export function createFixtures(ctx: TestContext): Fixtures {',
    numbered && '  let sequence = 0;',
    numbered && "  const next = (): string => String(++sequence).padStart(4, '0');",
    numbered && '',
    '  const fixtures: Fixtures = {',
    ...model.entities.flatMap((e) => {
      const values = e.fields.map((field) => `        ${field.name}: ${sampleValue(model, e, field)},`);
      return [
        `    async ${e.camel}Input() {`,
        // Fixed values only (booleans, enums, relations) leave the sequence number unused.
        e.fields.some(usesSequence) && '      const n = next();',
        '      return {',
        ...values,
        '      };',
        '    },',
        `    async ${e.camel}(overrides = {}) {`,
        `      const input = { ...(await fixtures.${e.camel}Input()), ...overrides };`,
        `      const res = await ctx.post('${e.route}', input).expect(201);`,
        `      return res.body as ${e.name};`,
        '    },',
      ];
    }),
    '  };',
    '  return fixtures;',
    '}',
    '',
  );
}

/** Types whose sample value does not use the sequence number `n`. */
const FIXED_SAMPLES: ReadonlySet<FieldType> = new Set<FieldType>(['enum', 'reference', 'references']);

function usesSequence(field: FieldModel): boolean {
  if (field.type === 'number' && field.min !== undefined && field.min === field.max) return false;
  return !FIXED_SAMPLES.has(field.type);
}

/** A valid value for `field`; `n` is a zero-padded sequence number unique within a test. */
export function sampleValue(model: AppModel, entity: EntityModel, field: FieldModel): string {
  const target = field.target ? model.entity(field.target) : undefined;
  switch (field.type) {
    case 'string':
      return `\`${field.name} \${n}\``;
    case 'text':
      return `\`Some ${field.name} text \${n}\``;
    case 'integer':
    case 'number':
    case 'money':
      return numericSample(field);
    case 'boolean':
      return 'Number(n) % 2 === 1';
    case 'date':
      return "`2024-01-${String((Number(n) % 28) + 1).padStart(2, '0')}`";
    case 'datetime':
      return 'new Date(Date.UTC(2024, 0, 1, 12, Number(n))).toISOString()';
    case 'email':
      return `\`${field.name.toLowerCase()}\${n}@example.com\``;
    case 'url':
      return `\`https://example.com/${field.name}/\${n}\``;
    case 'enum':
      return `'${field.enumValues[0] ?? ''}'`;
    case 'reference':
      return fillsRelation(model, entity, field) && target ? `(await fixtures.${target.camel}()).id` : 'null';
    case 'references':
      return fillsRelation(model, entity, field) && target ? `[(await fixtures.${target.camel}()).id]` : '[]';
  }
}

/** A number from `n` inside the field's range (distinct for the first 1000 values of `n`). */
function numericSample(field: FieldModel): string {
  const { min, max } = field;
  if (min === undefined && max === undefined) {
    return field.type === 'integer'
      ? 'Number(n)'
      : field.type === 'number'
        ? 'Number(n) + 0.5'
        : 'Number(n) * 10 + 0.25';
  }
  const low = min ?? (max ?? 0) - 10_000;
  const high = max ?? low + 10_000;
  switch (field.type) {
    case 'integer':
      return `${low} + (Number(n) % ${high - low + 1})`;
    case 'money': {
      const cents = Math.round(low * 100);
      return `(${cents} + (Number(n) % ${Math.round(high * 100) - cents + 1})) / 100`;
    }
    default:
      return high === low ? `${low}` : `${low} + ((Number(n) % 1000) / 1000) * ${high - low}`;
  }
}

/** The setup every generated API test file shares: a fresh app and database per test, and fixtures. */
export const API_TEST_SETUP: readonly string[] = [
  '  let ctx: TestContext;',
  '  let fixtures: Fixtures;',
  '',
  '  beforeEach(async () => {',
  '    ctx = await createTestContext();',
  '    fixtures = createFixtures(ctx);',
  '  });',
  '',
  '  afterEach(() => {',
  '    ctx.close();',
  '  });',
];
