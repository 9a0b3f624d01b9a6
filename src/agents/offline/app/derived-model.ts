import type { DerivedKind, DerivedValue } from '../../../core/domain/spec.js';
import { claim } from './identifiers.js';
import type { EntityModel, FieldModel } from './model.js';
import { kebabCase } from './naming.js';

/** A derived value of the spec, resolved to the entity and field models the renderers print from. */
export interface DerivedModel {
  /** The key in the app's `DerivedValues` (a camelCase spec identifier). */
  name: string;
  /** Unique within the app: element ids (`derived-<kebab>`). */
  kebab: string;
  label: string;
  kind: DerivedKind;
  entity: EntityModel;
  /** What is aggregated; for a flag, the field its condition reads; none for a count. */
  field: FieldModel | undefined;
  per: { field: FieldModel; period: 'day' | 'week' | 'month' | undefined } | undefined;
  condition: { op: '<' | '<=' | '>' | '>='; value: number | 'today' } | undefined;
}

export function buildDerivedModels(
  derived: readonly DerivedValue[],
  entityOf: (name: string) => EntityModel,
): DerivedModel[] {
  const kebabs = new Set<string>();
  return derived.map((value) => {
    const entity = entityOf(value.entity);
    const fieldOf = (name: string) => {
      const field = entity.fields.find((f) => f.name === name);
      if (!field) throw new Error(`derived value ${value.name}: ${entity.specName} has no field ${name}`);
      return field;
    };
    const fieldName =
      value.kind === 'flag' ? value.condition.field : value.kind === 'count' ? undefined : value.field;
    const per = value.kind === 'flag' ? undefined : value.per;
    return {
      name: value.name,
      kebab: claim(kebabCase(value.name), kebabs, (base, n) => `${base}-${n}`),
      label: value.label,
      kind: value.kind,
      entity,
      field: fieldName === undefined ? undefined : fieldOf(fieldName),
      per: per ? { field: fieldOf(per.field), period: per.period } : undefined,
      condition: value.kind === 'flag' ? { op: value.condition.op, value: value.condition.value } : undefined,
    };
  });
}
