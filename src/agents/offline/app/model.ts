import type { Entity, Features, Field, FieldType, Spec } from '../../../core/domain/spec.js';
import {
  claim,
  entityIdentifiers,
  GENERATED_IDENTIFIERS,
  RESERVED_ROUTES,
  RESERVED_TABLES,
  SQL_KEYWORDS,
} from './identifiers.js';
import { buildDerivedModels, type DerivedModel } from './derived-model.js';
import { camelCase, constantCase, kebabCase, pascalCase, snakeCase } from './naming.js';

/**
 * The spec, resolved once into every name and derived fact the renderers need, so that templates
 * only print. Normalisations (documented in the generated README) keep every spec buildable:
 * - `unique` is ignored on boolean, enum and references fields, and on numbers whose range holds fewer
 *   than 1000 values (it could hold at most a few rows);
 * - integer bounds round inwards (money bounds to whole cents); a range with no value left is ignored;
 * - a required reference that closes a cycle of required references becomes optional, otherwise
 *   no first row could ever be created;
 * - derived names never clash: an entity whose code names would clash with the generated code's own
 *   (`Row`, `ApiError`) or another entity's gets `Item` appended; file names, tables, routes, columns
 *   and constants that would coincide (`ABTest` / `AbTest`, `aBC` / `aBc`) get a number appended, and
 *   SQL keywords (`order`, `values`) get `_value` appended as columns and tables.
 */
export interface FieldModel {
  name: string;
  /** `TASK_STATUS` style prefix for enum value constants, unique within the entity. */
  constant: string;
  /** The TypeScript union type of an enum's values, e.g. `TaskStatus`. */
  enumType: string;
  label: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  enumValues: readonly string[];
  /** SQL column; `undefined` for `references`, which live in `joinTable`. */
  column: string | undefined;
  target: string | undefined;
  joinTable: string | undefined;
  /** Inclusive bounds of `integer`, `number` and `money` fields (whole numbers / cents already). */
  min: number | undefined;
  max: number | undefined;
  /** A rating-like integer (`rating`, `stars`, `score` with bounds 0..10): stars in forms and lists. */
  rating: boolean;
  /** ISO 4217 code of a money field whose label names its currency (`Price (€)`), else `undefined`. */
  currency: string | undefined;
}

export interface EntityModel {
  /** The spec's name, which relations and `AppModel.entity` use. */
  specName: string;
  /** The code name: the spec's name unless that clashes (see above). */
  name: string;
  camel: string;
  plural: string;
  pluralPascal: string;
  kebab: string;
  constant: string;
  table: string;
  route: string;
  label: string;
  pluralLabel: string;
  displayField: FieldModel;
  fields: readonly FieldModel[];
  /** Fields stored as columns of the entity's own table. */
  columnFields: readonly FieldModel[];
  /** `references` fields, stored in join tables. */
  linkFields: readonly FieldModel[];
  /** `reference` and `references` fields. */
  relationFields: readonly FieldModel[];
  /** Text fields matched by `?q=` (empty when search is off). */
  searchFields: readonly FieldModel[];
  /** Entity names this one points at (deduplicated, spec order). */
  targets: readonly string[];
}

export interface AppModel {
  appName: string;
  slug: string;
  description: string;
  archetype: Spec['archetype'];
  features: Features;
  nonFunctional: readonly string[];
  entities: readonly EntityModel[];
  /** Values computed from the rows (`GET /api/derived-values`); empty when the spec names none. */
  derived: readonly DerivedModel[];
  entity(name: string): EntityModel;
}

const UNIQUE_CAPABLE: ReadonlySet<FieldType> = new Set<FieldType>([
  'string',
  'text',
  'integer',
  'number',
  'money',
  'date',
  'datetime',
  'email',
  'url',
  'reference',
]);
const SEARCHABLE: ReadonlySet<FieldType> = new Set<FieldType>(['string', 'text', 'email', 'url']);

/** Everything claimed so far while naming one app's entities. */
interface Claims {
  identifiers: Set<string>;
  kebabs: Set<string>;
  tables: Set<string>;
  routes: Set<string>;
}

export function buildModel(spec: Spec): AppModel {
  const relaxed = cyclicRequiredRelations(spec.entities);
  const claims: Claims = {
    identifiers: new Set(GENERATED_IDENTIFIERS),
    kebabs: new Set(),
    tables: new Set(RESERVED_TABLES),
    routes: new Set(RESERVED_ROUTES),
  };
  // Entity tables first, so a join table never takes an entity's table name.
  const tables = spec.entities.map((entity) =>
    claim(sqlName(snakeCase(entity.plural)), claims.tables, (base, n) => `${base}_${n}`),
  );
  const entities = spec.entities.map((entity, index) =>
    entityModel(entity, spec.features, relaxed, claims, tables[index] ?? ''),
  );
  const byName = new Map(entities.map((entity) => [entity.specName, entity]));
  const entityOf = (name: string): EntityModel => {
    const found = byName.get(name);
    if (!found) throw new Error(`unknown entity ${name}`);
    return found;
  };
  return {
    appName: spec.appName,
    slug: spec.slug,
    description: spec.description,
    archetype: spec.archetype,
    features: spec.features,
    nonFunctional: spec.nonFunctional,
    entities,
    derived: buildDerivedModels(spec.derived, entityOf),
    entity: entityOf,
  };
}

function entityModel(
  entity: Entity,
  features: Features,
  relaxed: ReadonlySet<string>,
  claims: Claims,
  table: string,
): EntityModel {
  const taken = claims.identifiers;
  const codeName = claim(
    entity.name,
    new Set(),
    (base, n) => `${base}Item${n > 2 ? n - 1 : ''}`,
    (name) => entityIdentifiers(name).some((identifier) => taken.has(identifier)),
  );
  for (const identifier of entityIdentifiers(codeName)) taken.add(identifier);
  const names: FieldNames = {
    codeName,
    table,
    constants: new Set(),
    enumTypes: new Set(taken),
    columns: new Set(['id', 'created_at', 'updated_at']),
    tables: claims.tables,
  };
  const fields = entity.fields.map((field) => fieldModel(entity, field, names, relaxed));
  const displayField = fields.find((field) => field.name === entity.displayField) ?? fields[0];
  if (!displayField) throw new Error(`${entity.name} has no fields`);
  const relationFields = fields.filter((f) => f.type === 'reference' || f.type === 'references');
  return {
    specName: entity.name,
    name: codeName,
    camel: camelCase(codeName),
    plural: entity.plural,
    pluralPascal: pascalCase(entity.plural),
    kebab: claim(kebabCase(entity.name), claims.kebabs, (base, n) => `${base}-${n}`),
    constant: constantCase(codeName),
    table,
    route: `/api/${claim(kebabCase(entity.plural), claims.routes, (base, n) => `${base}-${n}`)}`,
    label: entity.label,
    pluralLabel: entity.pluralLabel,
    displayField,
    fields,
    columnFields: fields.filter((field) => field.column !== undefined),
    linkFields: fields.filter((field) => field.type === 'references'),
    relationFields,
    searchFields: features.search ? fields.filter((field) => SEARCHABLE.has(field.type)) : [],
    targets: [...new Set(relationFields.map((field) => field.target ?? entity.name))],
  };
}

/** Names one entity's fields claim. */
interface FieldNames {
  codeName: string;
  table: string;
  constants: Set<string>;
  enumTypes: Set<string>;
  columns: Set<string>;
  /** The app's tables: join tables claim theirs here. */
  tables: Set<string>;
}

/** A name that is safe as a bare SQLite table or column name. */
function sqlName(name: string): string {
  return SQL_KEYWORDS.has(name) ? `${name}_value` : name;
}

/** The field's range as the app enforces it, and how many values it holds. */
function rangeOf(field: Field): { min: number | undefined; max: number | undefined; values: number } {
  // Whole numbers for integers, whole cents for money (the epsilon absorbs 0.1 + 0.2 style noise).
  const scale = field.type === 'integer' ? 1 : field.type === 'money' ? 100 : undefined;
  const up = (value: number | undefined) =>
    value === undefined || scale === undefined ? value : Math.ceil(value * scale - 1e-6) / scale;
  const down = (value: number | undefined) =>
    value === undefined || scale === undefined ? value : Math.floor(value * scale + 1e-6) / scale;
  const min = up(field.min);
  const max = down(field.max);
  if (min === undefined || max === undefined) return { min, max, values: Infinity };
  if (min > max) return { min: undefined, max: undefined, values: Infinity };
  const values = scale === undefined ? (max > min ? Infinity : 1) : Math.round((max - min) * scale) + 1;
  return { min, max, values };
}

function fieldModel(
  entity: Entity,
  field: Field,
  names: FieldNames,
  relaxed: ReadonlySet<string>,
): FieldModel {
  const relation = field.type === 'reference' || field.type === 'references';
  const range = rangeOf(field);
  const numbered = (base: string, n: number) => `${base}_${n}`;
  return {
    name: field.name,
    constant: claim(`${constantCase(names.codeName)}_${constantCase(field.name)}`, names.constants, numbered),
    enumType:
      field.type === 'enum'
        ? claim(`${names.codeName}${pascalCase(field.name)}`, names.enumTypes, (base, n) => `${base}${n}`)
        : '',
    label: field.label,
    type: field.type,
    required: field.required && !relaxed.has(`${entity.name}.${field.name}`),
    unique: field.unique && UNIQUE_CAPABLE.has(field.type) && range.values >= 1000,
    enumValues: field.type === 'enum' ? (field.enumValues ?? []) : [],
    column:
      field.type === 'references'
        ? undefined
        : claim(
            field.type === 'reference' ? `${snakeCase(field.name)}_id` : sqlName(snakeCase(field.name)),
            names.columns,
            numbered,
          ),
    target: relation ? (field.target ?? entity.name) : undefined,
    joinTable:
      field.type === 'references'
        ? claim(`${names.table}_${snakeCase(field.name)}_links`, names.tables, numbered)
        : undefined,
    min: range.min,
    max: range.max,
    rating: field.type === 'integer' && isRating(field, range),
    currency: field.type === 'money' ? currencyOf(field.label) : undefined,
  };
}

const RATING_WORDS = /rating|stars?|score/i;

/** Stars read well for a handful of values: a bounded whole range within 0..10, named like a rating. */
function isRating(field: Field, range: { min: number | undefined; max: number | undefined }): boolean {
  const { min, max } = range;
  if (min === undefined || max === undefined || min < 0 || max > 10 || max <= min) return false;
  return RATING_WORDS.test(field.name) || RATING_WORDS.test(field.label);
}

const CURRENCY_SYMBOLS: readonly (readonly [RegExp, string])[] = [
  [/€|\bEUR\b/, 'EUR'],
  [/£|\bGBP\b/, 'GBP'],
  [/¥|\bJPY\b/, 'JPY'],
  [/₹|\bINR\b/, 'INR'],
  [/\$(?!\{)|\bUSD\b/, 'USD'],
];

function currencyOf(label: string): string | undefined {
  return CURRENCY_SYMBOLS.find(([pattern]) => pattern.test(label))?.[1];
}

/** `Entity.field` keys of required relations whose target can reach back to their owner. */
function cyclicRequiredRelations(entities: readonly Entity[]): Set<string> {
  const edges = new Map<string, string[]>();
  for (const entity of entities) {
    edges.set(
      entity.name,
      entity.fields.filter((f) => f.required && f.target !== undefined).map((f) => f.target ?? ''),
    );
  }
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const current = stack.pop() ?? '';
      if (current === to) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      stack.push(...(edges.get(current) ?? []));
    }
    return false;
  };
  const relaxed = new Set<string>();
  for (const entity of entities) {
    for (const field of entity.fields) {
      if (field.required && field.target !== undefined && reaches(field.target, entity.name)) {
        relaxed.add(`${entity.name}.${field.name}`);
      }
    }
  }
  return relaxed;
}
