import type { Entity, Features, Field, FieldType, Spec } from '../../../core/domain/spec.js';
import { camelCase, constantCase, kebabCase, pascalCase, snakeCase } from './naming.js';

/**
 * The spec, resolved once into every name and derived fact the renderers need, so that templates
 * only print. Normalisations (documented in the generated README) keep every spec buildable:
 * - `unique` is ignored on boolean, enum and references fields (it could hold at most a few rows);
 * - a required reference that closes a cycle of required references becomes optional, otherwise
 *   no first row could ever be created.
 */
export interface FieldModel {
  name: string;
  /** `TASK_STATUS` style prefix for enum value constants. */
  constant: string;
  label: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  enumValues: readonly string[];
  /** SQL column; `undefined` for `references`, which live in `joinTable`. */
  column: string | undefined;
  target: string | undefined;
  joinTable: string | undefined;
}

export interface EntityModel {
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

export function buildModel(spec: Spec): AppModel {
  const relaxed = cyclicRequiredRelations(spec.entities);
  const entities = spec.entities.map((entity) => entityModel(entity, spec.features, relaxed));
  const byName = new Map(entities.map((entity) => [entity.name, entity]));
  return {
    appName: spec.appName,
    slug: spec.slug,
    description: spec.description,
    archetype: spec.archetype,
    features: spec.features,
    nonFunctional: spec.nonFunctional,
    entities,
    entity(name) {
      const found = byName.get(name);
      if (!found) throw new Error(`unknown entity ${name}`);
      return found;
    },
  };
}

function entityModel(entity: Entity, features: Features, relaxed: ReadonlySet<string>): EntityModel {
  const table = snakeCase(entity.plural);
  const fields = entity.fields.map((field) => fieldModel(entity, field, table, relaxed));
  const displayField = fields.find((field) => field.name === entity.displayField) ?? fields[0];
  if (!displayField) throw new Error(`${entity.name} has no fields`);
  const relationFields = fields.filter((f) => f.type === 'reference' || f.type === 'references');
  return {
    name: entity.name,
    camel: camelCase(entity.name),
    plural: entity.plural,
    pluralPascal: pascalCase(entity.plural),
    kebab: kebabCase(entity.name),
    constant: constantCase(entity.name),
    table,
    route: `/api/${kebabCase(entity.plural)}`,
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

function fieldModel(entity: Entity, field: Field, table: string, relaxed: ReadonlySet<string>): FieldModel {
  const relation = field.type === 'reference' || field.type === 'references';
  return {
    name: field.name,
    constant: `${constantCase(entity.name)}_${constantCase(field.name)}`,
    label: field.label,
    type: field.type,
    required: field.required && !relaxed.has(`${entity.name}.${field.name}`),
    unique: field.unique && UNIQUE_CAPABLE.has(field.type),
    enumValues: field.type === 'enum' ? (field.enumValues ?? []) : [],
    column:
      field.type === 'references'
        ? undefined
        : field.type === 'reference'
          ? `${snakeCase(field.name)}_id`
          : snakeCase(field.name),
    target: relation ? (field.target ?? entity.name) : undefined,
    joinTable: field.type === 'references' ? `${table}_${snakeCase(field.name)}_links` : undefined,
  };
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
