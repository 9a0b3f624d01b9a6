/**
 * The working model between words and a Spec: entities and fields as the grammar finds them, before
 * labels, plurals, display fields and limits are settled by `assemble.ts`.
 */
import type { FieldType } from '../../../core/domain/spec.js';

export interface FieldDraft {
  name: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  enumValues?: readonly string[];
  /** Target entity of a reference / references field. */
  target?: string;
  /** Inclusive bounds of a numeric field ("1-10 points"). */
  min?: number;
  max?: number;
}

export interface EntityDraft {
  name: string;
  fields: FieldDraft[];
  /** The prompt listed this entity's fields: they replace the template's plain fields. */
  explicitFields: boolean;
  /** The entity this one belongs to (many-to-one), from the template's `@parent` or the prompt. */
  parent?: string;
  /** Whether the template asks for a parent link, and whether it is required. */
  wantsParent: boolean;
  parentRequired: boolean;
  /** No catalog template: its fields are placeholders until the prompt names some. */
  generic?: boolean;
}

export function field(name: string, type: FieldType, extra: Partial<FieldDraft> = {}): FieldDraft {
  return { name, type, required: false, unique: false, ...extra };
}

/** Adds or replaces a field by name; a replacement keeps its position so field order stays stable. */
export function upsertField(entity: EntityDraft, next: FieldDraft): void {
  const index = entity.fields.findIndex((f) => f.name === next.name);
  if (index >= 0) entity.fields[index] = next;
  else entity.fields.push(next);
}
