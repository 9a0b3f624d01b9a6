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

/**
 * A value computed from stored rows ("average points per film", "total spent per month", "low-stock
 * flag"): a small declarative aggregate the generator turns into SQL, never code from the prompt.
 */
export const DERIVED_KINDS = [
  'count', // how many rows
  'sum',
  'average',
  'min',
  'max',
  'latest', // the field's value on the newest row ("current weight")
  'streak', // longest run of consecutive days with a row ("longest streak")
  'flag', // rows that meet `condition` get a badge ("overdue", "low stock")
] as const;
export type DerivedKind = (typeof DERIVED_KINDS)[number];
export const DERIVED_PERIODS = ['day', 'week', 'month'] as const;

/** Group by a field's value (a reference groups by the row it points at), or a date field by period. */
export const DerivedGroupSchema = z.object({
  field: identifier,
  /** Required when `field` is a date or datetime; not allowed otherwise. */
  period: z.enum(DERIVED_PERIODS).optional(),
});
export type DerivedGroup = z.infer<typeof DerivedGroupSchema>;

const derivedBase = {
  /** camelCase key of the value in the app's summary. */
  name: fieldName,
  label: z.string().min(1).max(60),
  /** The entity whose rows are aggregated. */
  entity: entityName,
};
const grouped = { per: DerivedGroupSchema.optional() };

export const DerivedValueSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count'), ...derivedBase, ...grouped }),
  z.object({
    kind: z.enum(['sum', 'average']),
    ...derivedBase,
    /** A number or money field. */
    field: identifier,
    ...grouped,
  }),
  z.object({
    kind: z.enum(['min', 'max', 'latest']),
    ...derivedBase,
    /** A number, money, date or datetime field. */
    field: identifier,
    ...grouped,
  }),
  z.object({
    kind: z.literal('streak'),
    ...derivedBase,
    /** A date or datetime field: the days that count. */
    field: identifier,
    ...grouped,
  }),
  z.object({
    kind: z.literal('flag'),
    ...derivedBase,
    /** `field op value`: a number field against a number, or a date field against `today`. */
    condition: z.object({
      field: identifier,
      op: z.enum(['<', '<=', '>', '>=']),
      value: z.union([z.number().finite(), z.literal('today')]),
    }),
  }),
]);
export type DerivedValue = z.infer<typeof DerivedValueSchema>;

const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['integer', 'number', 'money']);
const DATE_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['date', 'datetime']);
const GROUP_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['reference', 'enum', 'string', 'boolean']);

/** What is wrong with `derived` against the entities, or undefined. */
export function derivedProblem(derived: DerivedValue, entities: readonly Entity[]): string | undefined {
  const entity = entities.find((e) => e.name === derived.entity);
  if (!entity) return `derived value "${derived.name}" reads unknown entity ${derived.entity}`;
  const field = (name: string) => entity.fields.find((f) => f.name === name);
  const at = `derived value "${derived.name}"`;
  if (derived.kind === 'flag') {
    const target = field(derived.condition.field);
    if (!target) return `${at}: ${entity.name} has no field ${derived.condition.field}`;
    const today = derived.condition.value === 'today';
    if (today ? !DATE_TYPES.has(target.type) : !NUMERIC_TYPES.has(target.type))
      return `${at}: compare a number field with a number, or a date field with "today"`;
    return undefined;
  }
  if (derived.kind !== 'count') {
    const target = field(derived.field);
    if (!target) return `${at}: ${entity.name} has no field ${derived.field}`;
    const allowed =
      derived.kind === 'sum' || derived.kind === 'average'
        ? NUMERIC_TYPES.has(target.type)
        : derived.kind === 'streak'
          ? DATE_TYPES.has(target.type)
          : NUMERIC_TYPES.has(target.type) || DATE_TYPES.has(target.type);
    if (!allowed) return `${at}: ${derived.kind} cannot read ${target.type} field ${target.name}`;
  }
  if (derived.per) {
    const group = field(derived.per.field);
    if (!group) return `${at}: ${entity.name} has no field ${derived.per.field} to group by`;
    if (group.unique) return `${at}: grouping by unique field ${group.name} gives one row per group`;
    if (derived.kind !== 'count' && group.name === derived.field)
      return `${at}: cannot group by the field it aggregates`;
    const dated = DATE_TYPES.has(group.type);
    if (dated !== (derived.per.period !== undefined))
      return `${at}: a date field groups by a period (day, week, month); other fields group without one`;
    if (!dated && !GROUP_TYPES.has(group.type))
      return `${at}: cannot group by ${group.type} field ${group.name}`;
  }
  return undefined;
}

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
    /** Values computed from the stored rows: totals, averages, streaks, flags. */
    derived: z.array(DerivedValueSchema).max(20).default([]),
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
    const derivedNames = new Set(spec.derived.map((d) => d.name));
    if (derivedNames.size !== spec.derived.length)
      ctx.addIssue({ code: 'custom', message: 'derived value names must be unique' });
    for (const derived of spec.derived) {
      const problem = derivedProblem(derived, spec.entities);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  });
export type Spec = z.infer<typeof SpecSchema>;
