import { lines, tsString } from '../code.js';
import type { AppModel, EntityModel, FieldModel } from '../model.js';
import { fillsRelation } from './helpers.js';

/** `tests/api/<entity>.test.ts` and `tests/ui/<entity>.test.tsx`. */

export function renderApiTest(model: AppModel, entity: EntityModel): string {
  const { name, camel, route } = entity;
  const first = entity.fields[0];
  if (!first) throw new Error(`${name} has no fields`);
  const patchField = entity.columnFields.find((f) => f.type !== 'boolean' && f.type !== 'enum') ?? first;
  const reference = entity.relationFields.find((f) => fillsRelation(model, entity, f));
  const searchField = entity.searchFields[0];
  return lines(
    "import { afterEach, beforeEach, describe, expect, it } from 'vitest';",
    "import { createTestContext, type TestContext } from '../helpers/context';",
    "import { createFixtures, type Fixtures } from '../helpers/fixtures';",
    '',
    `describe('${name} API (${route})', () => {`,
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
    `    const { ${patchField.name} } = await fixtures.${camel}Input();`,
    `    const res = await ctx.patch(\`${route}/\${created.id}\`, { ${patchField.name} }).expect(200);`,
    `    expect(res.body).toEqual({ ...created, ${patchField.name}, updatedAt: expect.any(String) });`,
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
  return lines(
    '// @vitest-environment happy-dom',
    "import { fireEvent, getDefaultNormalizer, render, screen } from '@testing-library/react';",
    "import { describe, expect, it, vi } from 'vitest';",
    `import { ${name}Form } from '../../src/client/entities/${kebab}/${kebab}-form';`,
    `import { ${name}List } from '../../src/client/entities/${kebab}/${kebab}-list';`,
    `import { type ${name}, ${camel}Labels } from '../../src/shared/entities/${kebab}';`,
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
    `    expect(await screen.findByText(${uiDisplayText(entity)})).toBeTruthy();`,
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

function uiSample(field: FieldModel): string {
  switch (field.type) {
    case 'integer':
    case 'number':
    case 'reference':
      return '7';
    case 'money':
      return '12.5';
    case 'boolean':
      return 'true';
    case 'references':
      return '[]';
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

/** The text the list shows in the display-field cell for `sample`. */
function uiDisplayText(entity: EntityModel): string {
  const field = entity.displayField;
  switch (field.type) {
    case 'boolean':
      return "'Yes'";
    case 'money':
      return "'12.50'";
    case 'reference':
      return "'#7'";
    case 'references':
      return `${entity.camel}Labels.fields.${field.name}`;
    case 'datetime':
      return "new Date('2024-03-04T05:06:07.000Z').toLocaleString()";
    case 'text':
    case 'integer':
    case 'number':
    case 'date':
    case 'email':
    case 'url':
    case 'enum':
    case 'string':
      return uiSample(field).replace(/^(\d+)$/, "'$1'");
  }
}
