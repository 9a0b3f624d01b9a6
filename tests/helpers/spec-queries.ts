/** Reading a parsed Spec in tests, failing with what was there instead of `undefined`. */
import type { Field, Spec } from '../../src/core/domain/spec.js';

export const entityNames = (spec: Spec): string[] => spec.entities.map((e) => e.name);

export function fieldsOf(spec: Spec, entity: string): Field[] {
  const found = spec.entities.find((e) => e.name === entity);
  if (!found) throw new Error(`no entity ${entity} in ${entityNames(spec).join(', ')}`);
  return found.fields;
}

export function fieldOf(spec: Spec, entity: string, field: string): Field {
  const found = fieldsOf(spec, entity).find((f) => f.name === field);
  if (!found)
    throw new Error(
      `no field ${entity}.${field} in ${fieldsOf(spec, entity)
        .map((f) => f.name)
        .join(', ')}`,
    );
  return found;
}
