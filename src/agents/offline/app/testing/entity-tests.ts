import { lines, tsString } from '../code.js';
import type { AppModel, EntityModel, FieldModel } from '../model.js';
import { API_TEST_SETUP, fillsRelation } from './helpers.js';

/** `tests/api/<entity>.test.ts` and `tests/ui/<entity>.test.tsx`. */

export function renderApiTest(model: AppModel, entity: EntityModel): string {
  const { name, camel, route } = entity;
  const first = entity.fields[0];
  if (!first) throw new Error(`${name} has no fields`);
  const patchField = entity.columnFields.find((f) => f.type !== 'boolean' && f.type !== 'enum') ?? first;
  const reference = entity.relationFields.find((f) => fillsRelation(model, entity, f));
  const searchField = entity.searchFields[0];
  const ranged = entity.fields.find((f) => f.min !== undefined || f.max !== undefined);
  return lines(
    "import { afterEach, beforeEach, describe, expect, it } from 'vitest';",
    "import { createTestContext, type TestContext } from '../helpers/context';",
    "import { createFixtures, type Fixtures } from '../helpers/fixtures';",
    '',
    `describe('${name} API (${route})', () => {`,
    ...API_TEST_SETUP,
    '',
    `  it('creates a ${camel}', async () => {`,
    `    const input = await fixtures.${camel}Input();`,
    `    const res = await ctx.post('${route}', input).expect(201);`,
    '    expect(res.body).toMatchObject({ ...input, id: expect.any(Number), createdAt: expect.any(String) });',
    `    expect(res.headers.location).toBe(\`${route}/\${res.body.id}\`);`,
    '  });',
    '',
    `  it('lists ${entity.plural} a page at a time', async () => {`,
    `    const older = await fixtures.${camel}();`,
    `    const newer = await fixtures.${camel}();`,
    `    const firstPage = await ctx.get('${route}?page=1&pageSize=1').expect(200);`,
    '    expect(firstPage.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });',
    '    expect(firstPage.body.items).toHaveLength(1);',
    `    const all = await ctx.get('${route}?sort=createdAt&order=asc').expect(200);`,
    `    expect(all.body.items.map((item: { id: number }) => item.id)).toEqual([older.id, newer.id]);`,
    '  });',
    '',
    searchField &&
      lines(
        `  it('searches ${entity.plural} with ?q=', async () => {`,
        `    const wanted = await fixtures.${camel}();`,
        `    await fixtures.${camel}();`,
        `    const q = encodeURIComponent(String(wanted.${searchField.name}));`,
        `    const res = await ctx.get(\`${route}?q=\${q}\`).expect(200);`,
        '    expect(res.body.items.map((item: { id: number }) => item.id)).toEqual([wanted.id]);',
        '  });',
        '',
      ),
    `  it('gets a ${camel} by id', async () => {`,
    `    const created = await fixtures.${camel}();`,
    `    const res = await ctx.get(\`${route}/\${created.id}\`).expect(200);`,
    '    expect(res.body).toEqual(created);',
    '  });',
    '',
    `  it('replaces a ${camel} with PUT', async () => {`,
    `    const created = await fixtures.${camel}();`,
    `    const input = await fixtures.${camel}Input();`,
    `    const res = await ctx.put(\`${route}/\${created.id}\`, input).expect(200);`,
    '    expect(res.body).toMatchObject({ ...input, id: created.id });',
    '  });',
    '',
    `  it('updates some fields with PATCH', async () => {`,
    `    const created = await fixtures.${camel}();`,
    // Renamed on the way out: the field may be called `res` or `created`.
    `    const { ${patchField.name}: changed } = await fixtures.${camel}Input();`,
    `    const res = await ctx.patch(\`${route}/\${created.id}\`, { ${patchField.name}: changed }).expect(200);`,
    `    expect(res.body).toEqual({ ...created, ${patchField.name}: changed, updatedAt: expect.any(String) });`,
    '  });',
    '',
    `  it('deletes a ${camel}', async () => {`,
    `    const created = await fixtures.${camel}();`,
    `    await ctx.delete(\`${route}/\${created.id}\`).expect(204);`,
    `    await ctx.get(\`${route}/\${created.id}\`).expect(404);`,
    '  });',
    '',
    "  it('answers 404 for unknown ids', async () => {",
    `    const input = await fixtures.${camel}Input();`,
    `    await ctx.get('${route}/999999').expect(404);`,
    `    await ctx.put('${route}/999999', input).expect(404);`,
    `    await ctx.patch('${route}/999999', {}).expect(404);`,
    `    await ctx.delete('${route}/999999').expect(404);`,
    '  });',
    '',
    "  it('rejects invalid bodies with 400 and field issues', async () => {",
    `    const input = await fixtures.${camel}Input();`,
    `    const res = await ctx.post('${route}', { ...input, ${first.name}: ${invalidValue(first)} }).expect(400);`,
    `    expect(res.body.error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['${first.name}'] })]));`,
    `    await ctx.get('${route}/not-a-number').expect(400);`,
    '  });',
    ranged && '',
    ranged &&
      lines(
        `  it('rejects ${ranged.name} outside ${rangeText(ranged)} with 400', async () => {`,
        `    const input = await fixtures.${camel}Input();`,
        `    const res = await ctx.post('${route}', { ...input, ${ranged.name}: ${outside(ranged)} }).expect(400);`,
        `    expect(res.body.error.issues).toEqual([expect.objectContaining({ path: ['${ranged.name}'] })]);`,
        '  });',
      ),
    reference && '',
    reference &&
      lines(
        "  it('rejects references to records that do not exist', async () => {",
        `    const input = await fixtures.${camel}Input();`,
        `    const res = await ctx.post('${route}', { ...input, ${reference.name}: ${reference.type === 'references' ? '[999999]' : '999999'} }).expect(400);`,
        `    expect(res.body.error.issues).toEqual([expect.objectContaining({ path: ['${reference.name}'] })]);`,
        '  });',
      ),
    '});',
    '',
  );
}

function rangeText(field: FieldModel): string {
  if (field.min !== undefined && field.max !== undefined) return `${field.min} to ${field.max}`;
  return field.min !== undefined ? `at least ${field.min}` : `at most ${field.max}`;
}

/** A value just outside the range (a whole step, so it is still a valid integer or amount). */
function outside(field: FieldModel): string {
  return field.max !== undefined ? String(field.max + 1) : String((field.min ?? 0) - 1);
}

function invalidValue(field: FieldModel): string {
  switch (field.type) {
    case 'integer':
    case 'number':
    case 'money':
    case 'reference':
      return "'not a number'";
    case 'boolean':
      return "'maybe'";
    case 'references':
      return "'not a list'";
    default:
      return '12345';
  }
}

export function renderUiTest(model: AppModel, entity: EntityModel): string {
  const { name, camel, kebab } = entity;
  const blocking = entity.fields.some((f) => f.required && f.type !== 'boolean' && f.type !== 'enum');
  const rating = entity.fields.find((f) => f.rating);
  const money = entity.displayField.type === 'money';
  const testing = [
    // `fireEvent` only where a test submits: an unused import fails typecheck (TS6133).
    (blocking || rating) && 'fireEvent',
    'getDefaultNormalizer',
    'render',
    'screen',
    rating && 'within',
  ].filter(Boolean);
  return lines(
    '// @vitest-environment happy-dom',
    `import { ${testing.join(', ')} } from '@testing-library/react';`,
    "import { describe, expect, it, vi } from 'vitest';",
    `import { ${name}Form } from '../../src/client/entities/${kebab}/${kebab}-form';`,
    `import { ${name}List } from '../../src/client/entities/${kebab}/${kebab}-list';`,
    "import { HomePage } from '../../src/client/home';",
    money && "import { formatMoney } from '../../src/client/lib/format';",
    `import { type ${name}, ${camel}Labels, ${camel}Title } from '../../src/shared/entities/${kebab}';`,
    "import { stubFetch } from '../helpers/fetch-stub';",
    '',
    'const exact = { normalizer: getDefaultNormalizer({ trim: false, collapseWhitespace: false }) };',
    '',
    `const sample: ${name} = {`,
    '  id: 1,',
    ...entity.fields.map((field) => `  ${field.name}: ${uiSample(field)},`),
    "  createdAt: '2024-01-01T00:00:00.000Z',",
    "  updatedAt: '2024-01-01T00:00:00.000Z',",
    '};',
    '',
    `describe('${name} UI', () => {`,
    `  it('lists ${entity.plural}', async () => {`,
    `    stubFetch({ '${entity.route}': [sample] });`,
    `    render(<${name}List version={0} onEdit={vi.fn()} />);`,
    // All matches: another column (or a repeated label) may show the same text.
    `    expect((await ${uiDisplayQuery(entity)}).length).toBeGreaterThan(0);`,
    "    expect(screen.getByRole('button', { name: 'Edit' })).toBeTruthy();",
    '  });',
    '',
    "  it('renders a form control for every field', () => {",
    '    stubFetch();',
    `    render(<${name}Form onSaved={vi.fn()} onCancel={vi.fn()} />);`,
    `    for (const label of Object.values(${camel}Labels.fields)) {`,
    '      expect(screen.getAllByLabelText(label, exact).length).toBeGreaterThan(0);',
    '    }',
    '  });',
    '',
    `  it('counts ${entity.plural} on the home page and shows the newest', async () => {`,
    `    stubFetch({ '${entity.route}': [sample] });`,
    '    const { container } = render(<HomePage onOpen={vi.fn()} />);',
    `    const summary = container.querySelector('#home-${kebab}');`,
    `    if (!summary) throw new Error('the home page has no ${name} summary');`,
    "    await vi.waitFor(() => expect(summary.querySelector('.count')?.textContent).toBe(" +
      `\`1 \${${camel}Labels.singular}\`));`,
    `    expect(summary.textContent).toContain(${camel}Title(sample));`,
    '  });',
    rating && '',
    rating && ratingTest(entity, rating),
    blocking && '',
    blocking &&
      lines(
        "  it('shows validation messages instead of submitting an empty form', async () => {",
        '    stubFetch();',
        '    const onSaved = vi.fn();',
        `    const { container } = render(<${name}Form onSaved={onSaved} onCancel={vi.fn()} />);`,
        "    const form = container.querySelector('form');",
        "    if (!form) throw new Error('the form did not render');",
        '    fireEvent.submit(form);',
        "    expect((await screen.findAllByRole('alert')).length).toBeGreaterThan(0);",
        '    expect(onSaved).not.toHaveBeenCalled();',
        '  });',
      ),
    '});',
    '',
  );
}

export function uiSample(field: FieldModel): string {
  switch (field.type) {
    case 'integer':
    case 'number':
    case 'money':
      return String(numberSample(field));
    case 'reference':
      return '7';
    case 'boolean':
      return 'true';
    case 'references':
      return '[7]';
    case 'date':
      return "'2024-03-04'";
    case 'datetime':
      return "'2024-03-04T05:06:07.000Z'";
    case 'email':
      return "'sample@example.com'";
    case 'url':
      return "'https://example.com/sample'";
    case 'enum':
      return tsString(field.enumValues[0] ?? '');
    default:
      return `'Sample ${field.name}'`;
  }
}

/** The UI tests' sample number: 7 (12.5 for money), or the range's lower bound when 7 is outside. */
function numberSample(field: FieldModel): number {
  const preferred = field.type === 'money' ? 12.5 : 7;
  const inside =
    (field.min === undefined || preferred >= field.min) &&
    (field.max === undefined || preferred <= field.max);
  return inside ? preferred : (field.min ?? field.max ?? preferred);
}

/** Choosing a number of stars and saving sends that number. */
function ratingTest(entity: EntityModel, field: FieldModel): string {
  const { name, kebab } = entity;
  const min = field.min ?? 0;
  const max = field.max ?? 5;
  const sampled = numberSample(field);
  const chosen = 4 >= min && 4 <= max && sampled !== 4 ? 4 : sampled === max ? min : max;
  return lines(
    `  it('saves the number of stars chosen for ${field.name}', async () => {`,
    '    stubFetch();',
    '    const onSaved = vi.fn();',
    `    const { container } = render(<${name}Form initial={sample} onSaved={onSaved} onCancel={vi.fn()} />);`,
    `    const stars = container.querySelector<HTMLElement>('#${kebab}-${field.name}');`,
    `    if (!stars) throw new Error('the form has no ${field.name} stars');`,
    `    fireEvent.click(within(stars).getByRole('radio', { name: '${chosen} star${chosen === 1 ? '' : 's'}' }));`,
    "    fireEvent.click(screen.getByRole('button', { name: 'Save' }));",
    '    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());',
    "    const put = vi.mocked(fetch).mock.calls.find(([, init]) => init?.method === 'PUT');",
    `    expect(JSON.parse(String(put?.[1]?.body))).toMatchObject({ ${field.name}: ${chosen} });`,
    '  });',
  );
}

/** A query for what the list shows in the display-field cell for `sample` (a promise of matches). */
function uiDisplayQuery(entity: EntityModel): string {
  const field = entity.displayField;
  if (field.rating)
    return `screen.findAllByRole('img', { name: '${numberSample(field)} out of ${field.max} stars' })`;
  return `screen.findAllByText(${uiDisplayText(entity)})`;
}

/** The text the list shows in the display-field cell for `sample`. */
function uiDisplayText(entity: EntityModel): string {
  const field = entity.displayField;
  switch (field.type) {
    case 'boolean':
      return "'Yes'";
    case 'money':
      return `formatMoney(${numberSample(field)}${field.currency === undefined ? '' : `, '${field.currency}'`})`;
    case 'integer':
    case 'number':
      return tsString(String(numberSample(field)));
    case 'reference':
      return "'#7'";
    case 'references':
      return `${entity.camel}Labels.fields.${field.name}`;
    case 'datetime':
      return "new Date('2024-03-04T05:06:07.000Z').toLocaleString()";
    case 'text':
    case 'date':
    case 'email':
    case 'url':
    case 'enum':
    case 'string':
      return uiSample(field).replace(/^(\d+)$/, "'$1'");
  }
}
