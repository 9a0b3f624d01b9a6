import { z } from 'zod';

/**
 * The application spec: what the requirements agent understands from a prompt, and what every other
 * agent builds from. Names are normalised so generators can derive identifiers from them safely.
 */
export const FIELD_TYPES = [
  'string', // short single-line text
  'text', // long free text
  'integer',
  'number',
  'money', // decimal amount, two places
  'boolean',
  'date', // calendar date, YYYY-MM-DD
  'datetime', // ISO 8601 instant
  'email',
  'url',
  'enum', // one of `enumValues`
  'reference', // many-to-one: holds the id of one `target` row
  'references', // many-to-many: holds ids of `target` rows
] as const;
export const FieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldTypeSchema>;

/** camelCase identifier, starting with a letter. */
const identifier = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-zA-Z0-9]*$/, 'must be camelCase: a lower-case letter then letters or digits');
const fieldName = identifier.refine((name) => !RESERVED_FIELD_NAMES.has(name), 'is a reserved name');
/** PascalCase singular entity name. */
const entityName = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Z][a-zA-Z0-9]*$/, 'must be PascalCase: an upper-case letter then letters or digits');
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
/** Entity names become variables too (`class` from `Class`): neither form may be reserved. */
const newEntityName = entityName.refine(
  (name) => !RESERVED_ENTITY_NAMES.has(name) && !RESERVED_FIELD_NAMES.has(lowerFirst(name)),
  'is a reserved name',
);

/** Generated apps add these columns themselves, or they clash with JavaScript: never a spec field name. */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
  'await',
  'async',
  'arguments',
  'eval',
  'undefined',
  'NaN',
  'Infinity',
]);
/** Entity names that would shadow globals or the generated app's own modules. */
export const RESERVED_ENTITY_NAMES: ReadonlySet<string> = new Set([
  'App',
  'Array',
  'Boolean',
  'Date',
  'Error',
  'Function',
  'JSON',
  'Map',
  'Math',
  'Number',
  'Object',
  'Promise',
  'Proxy',
  'Reflect',
  'RegExp',
  'Request',
  'Response',
  'Set',
  'String',
  'Symbol',
  'Record',
  'Partial',
  'Omit',
  'Pick',
  'Event',
  'Node',
  'Element',
  'Document',
  'Window',
  'Headers',
  'URL',
  'Database',
  'Router',
  'Layout',
  'Page',
  'Form',
  'List',
  'Api',
  'Db',
  'Schema',
  'Model',
  'Store',
  'Type',
  'Blob',
  'File',
]);

export const FieldSchema = z
  .object({
    name: fieldName,
    label: z.string().min(1).max(60),
    type: FieldTypeSchema,
    required: z.boolean(),
    unique: z.boolean().default(false),
    /** For `enum`: lower-case snake/kebab values, the first is the default. */
    enumValues: z
      .array(
        z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]*$/)
          .max(40),
      )
      .min(2)
      .max(20)
      .optional(),
    /** For `reference` / `references`: the target entity's name. */
    target: entityName.optional(),
    /** For `integer`, `number` and `money`: the inclusive range asked for ("rated 1 to 5"). */
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  })
  .superRefine((field, ctx) => {
    const numeric = field.type === 'integer' || field.type === 'number' || field.type === 'money';
    if ((field.min !== undefined || field.max !== undefined) && !numeric)
      ctx.addIssue({ code: 'custom', message: `field "${field.name}": min and max apply to numbers only` });
    if (field.min !== undefined && field.max !== undefined && field.min > field.max)
      ctx.addIssue({ code: 'custom', message: `field "${field.name}": min is greater than max` });
    if (field.type === 'enum' && !field.enumValues) {
      ctx.addIssue({ code: 'custom', message: `enum field "${field.name}" needs enumValues` });
    }
    if ((field.type === 'reference' || field.type === 'references') && !field.target) {
      ctx.addIssue({ code: 'custom', message: `${field.type} field "${field.name}" needs a target entity` });
    }
  });
export type Field = z.infer<typeof FieldSchema>;

export const EntitySchema = z.object({
  name: newEntityName,
  /** camelCase plural used in routes and variable names, e.g. `todoItems`. */
  plural: identifier,
  label: z.string().min(1).max(60),
  pluralLabel: z.string().min(1).max(60),
  /** The field shown as the row's title in lists and selects. */
  displayField: identifier,
  fields: z.array(FieldSchema).min(1).max(30),
});
export type Entity = z.infer<typeof EntitySchema>;

export const ARCHETYPES = [
  'todo',
  'blog',
  'crm',
  'inventory',
  'booking',
  'tracker',
  'recipes',
  'general',
] as const;
export const ArchetypeSchema = z.enum(ARCHETYPES);
export type Archetype = z.infer<typeof ArchetypeSchema>;

export const FeaturesSchema = z.object({
  auth: z.boolean(),
  search: z.boolean(),
  pagination: z.boolean(),
  /** Sort lists by this much recency/ordering; always true in generated apps, kept explicit. */
  sorting: z.boolean(),
});
export type Features = z.infer<typeof FeaturesSchema>;

/** A screen of the app, for apps described by what people see and do rather than by stored data. */
export const PageSchema = z.object({
  /** The route, e.g. `/` or `/settings`. */
  path: z
    .string()
    .min(1)
    .max(100)
    .regex(/^\/[A-Za-z0-9/_:.-]*$/, 'must be a route starting with /'),
  title: z.string().min(1).max(60),
  purpose: z.string().min(1).max(300),
});
export type Page = z.infer<typeof PageSchema>;

/** A named piece of UI worth its own module (a game board, a countdown display, a price calculator). */
export const ComponentSchema = z.object({
  name: entityName,
  purpose: z.string().min(1).max(300),
});
export type Component = z.infer<typeof ComponentSchema>;

export const SpecSchema = z
  .object({
    appName: z.string().min(1).max(60),
    /** kebab-case; used for the repository name and branch `autonoma/<slug>`. */
    slug: z
      .string()
      .min(1)
      .max(50)
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case'),
    description: z.string().min(1).max(300),
    archetype: ArchetypeSchema,
    /** What the app stores; none for a game, a timer, a calculator or a landing page. */
    entities: z.array(EntitySchema).max(12),
    pages: z.array(PageSchema).max(20).default([]),
    components: z.array(ComponentSchema).max(30).default([]),
    /** What the app does, one rule or behaviour per line ("three in a row wins"). */
    behaviours: z.array(z.string().min(1).max(200)).max(30).default([]),
    features: FeaturesSchema,
    nonFunctional: z.array(z.string().min(1).max(200)).max(20),
  })
  .superRefine((spec, ctx) => {
    if (spec.entities.length === 0 && spec.pages.length === 0 && spec.components.length === 0)
      ctx.addIssue({
        code: 'custom',
        message: 'a spec names at least one entity, page or component: what the app stores or shows',
      });
    const pagePaths = new Set(spec.pages.map((p) => p.path));
    if (pagePaths.size !== spec.pages.length)
      ctx.addIssue({ code: 'custom', message: 'page paths must be unique' });
    const componentNames = new Set(spec.components.map((c) => c.name));
    if (componentNames.size !== spec.components.length)
      ctx.addIssue({ code: 'custom', message: 'component names must be unique' });
    const names = new Set(spec.entities.map((e) => e.name));
    if (names.size !== spec.entities.length)
      ctx.addIssue({ code: 'custom', message: 'entity names must be unique' });
    const plurals = new Set(spec.entities.map((e) => e.plural));
    if (plurals.size !== spec.entities.length)
      ctx.addIssue({ code: 'custom', message: 'entity plurals must be unique' });
    for (const entity of spec.entities) {
      if (entity.plural === lowerFirst(entity.name) || RESERVED_FIELD_NAMES.has(entity.plural)) {
        ctx.addIssue({
          code: 'custom',
          message: `${entity.name}: plural must differ from the name and not be reserved`,
        });
      }
      const fieldNames = new Set(entity.fields.map((f) => f.name));
      if (fieldNames.size !== entity.fields.length) {
        ctx.addIssue({ code: 'custom', message: `${entity.name}: field names must be unique` });
      }
      if (!fieldNames.has(entity.displayField)) {
        ctx.addIssue({ code: 'custom', message: `${entity.name}: displayField must name one of its fields` });
      }
      for (const field of entity.fields) {
        if (field.enumValues && new Set(field.enumValues).size !== field.enumValues.length) {
          ctx.addIssue({
            code: 'custom',
            message: `${entity.name}.${field.name}: enum values must be unique`,
          });
        }
        if (field.target && !names.has(field.target)) {
          ctx.addIssue({
            code: 'custom',
            message: `${entity.name}.${field.name} targets unknown entity ${field.target}`,
          });
        }
      }
    }
  });
export type Spec = z.infer<typeof SpecSchema>;
