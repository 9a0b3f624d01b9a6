import { indent, lines, tsString } from '../code.js';
import type { EntityModel, FieldModel } from '../model.js';

/** `src/shared/<entity>.ts`: the API contract (record type, zod input schema, labels) used by server and UI. */
export function renderSharedEntity(entity: EntityModel): string {
  const enums = entity.fields.filter((field) => field.type === 'enum');
  return lines(
    "import { z } from 'zod';",
    '',
    ...enums.flatMap((field) => [
      `export const ${field.constant}_VALUES = [${field.enumValues.map(tsString).join(', ')}] as const;`,
      `export type ${field.enumType} = (typeof ${field.constant}_VALUES)[number];`,
      '',
    ]),
    `export interface ${entity.name} {`,
    '  id: number;',
    ...entity.fields.map((field) => `  ${field.name}: ${recordType(entity, field)};`),
    '  createdAt: string;',
    '  updatedAt: string;',
    '}',
    '',
    `/** Body of \`POST ${entity.route}\` and \`PUT ${entity.route}/:id\`. */`,
    `export const ${entity.camel}InputSchema = z.object({`,
    ...entity.fields.map((field) => `  ${field.name}: ${zodSchema(field)},`),
    '});',
    `export type ${entity.name}Input = z.infer<typeof ${entity.camel}InputSchema>;`,
    '',
    `/** Body of \`PATCH ${entity.route}/:id\`: any subset of the input fields. */`,
    `export const ${entity.camel}PatchSchema = ${entity.camel}InputSchema.partial();`,
    `export type ${entity.name}Patch = z.infer<typeof ${entity.camel}PatchSchema>;`,
    '',
    `export const ${entity.constant}_SORT_FIELDS = [${sortFields(entity)
      .map((name) => `'${name}'`)
      .join(', ')}] as const;`,
    `export type ${entity.name}SortField = (typeof ${entity.constant}_SORT_FIELDS)[number];`,
    '',
    `export const ${entity.camel}Labels = {`,
    `  singular: ${tsString(entity.label)},`,
    `  plural: ${tsString(entity.pluralLabel)},`,
    '  fields: {',
    ...entity.fields.map((field) => `    ${field.name}: ${tsString(field.label)},`),
    '  },',
    '} as const;',
    '',
    `/** How a ${entity.camel} is named in lists, selects and messages. */`,
    `export function ${entity.camel}Title(${entity.camel}: ${entity.name}): string {`,
    indent(titleBody(entity)),
    '}',
    '',
  );
}

export function sortFields(entity: EntityModel): string[] {
  return [
    'createdAt',
    'updatedAt',
    ...entity.columnFields.filter((field) => field.type !== 'text').map((field) => field.name),
  ];
}

function recordType(entity: EntityModel, field: FieldModel): string {
  const base = baseType(entity, field);
  return field.required || field.type === 'references' ? base : `${base} | null`;
}

function baseType(entity: EntityModel, field: FieldModel): string {
  switch (field.type) {
    case 'integer':
    case 'number':
    case 'money':
    case 'reference':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'enum':
      return field.enumType;
    case 'references':
      return 'number[]';
    default:
      return 'string';
  }
}

function zodSchema(field: FieldModel): string {
  const base = zodBase(field);
  if (field.type === 'references')
    return field.required ? `${base}.min(1, 'Choose at least one')` : `${base}.optional()`;
  return field.required ? base : `${base}.nullish()`;
}

function zodBase(field: FieldModel): string {
  switch (field.type) {
    case 'string':
      return field.required ? "z.string().trim().min(1, 'Required').max(200)" : 'z.string().trim().max(200)';
    case 'text':
      return field.required
        ? "z.string().trim().min(1, 'Required').max(10000)"
        : 'z.string().trim().max(10000)';
    case 'integer':
      return `z.int()${bounds(field)}`;
    case 'number':
      return `z.number()${bounds(field)}`;
    case 'money':
      return `z.number().multipleOf(0.01, 'Use at most two decimal places')${bounds({
        min: field.min ?? -1e12,
        max: field.max ?? 1e12,
      })}`;
    case 'boolean':
      return 'z.boolean()';
    case 'date':
      return "z.iso.date({ error: 'Use a date like 2024-01-31' })";
    case 'datetime':
      return "z.iso.datetime({ error: 'Use an ISO date and time like 2024-01-31T09:30:00Z' })";
    case 'email':
      return "z.email({ error: 'Enter a valid email address' }).max(254)";
    case 'url':
      return "z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' }).max(2048)";
    case 'enum':
      return `z.enum(${field.constant}_VALUES)`;
    case 'reference':
      return "z.int().positive('Choose an entry')";
    case 'references':
      return 'z.array(z.int().positive()).max(100)';
  }
}

/** `.min(a).max(b)` for the bounds the spec asked for. */
function bounds(field: Pick<FieldModel, 'min' | 'max'>): string {
  return `${field.min === undefined ? '' : `.min(${field.min})`}${field.max === undefined ? '' : `.max(${field.max})`}`;
}

function titleBody(entity: EntityModel): string {
  const field = entity.displayField;
  const value = `${entity.camel}.${field.name}`;
  const fallback = `\`#\${${entity.camel}.id}\``;
  switch (field.type) {
    case 'boolean':
      return field.required
        ? `return ${value} ? 'Yes' : 'No';`
        : `return ${value} === null ? ${fallback} : ${value} ? 'Yes' : 'No';`;
    case 'references':
      return `return \`\${${value}.length} linked\`;`;
    case 'integer':
    case 'number':
    case 'money':
    case 'reference':
      return field.required
        ? `return String(${value});`
        : `return ${value} === null ? ${fallback} : String(${value});`;
    default:
      return field.required ? `return ${value};` : `return ${value} ?? ${fallback};`;
  }
}
