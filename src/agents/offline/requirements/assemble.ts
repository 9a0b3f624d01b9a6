/**
 * Entity drafts → schema-valid spec entities: labels, plurals, a display field, unique names, and
 * the schema's limits (12 entities, 30 fields), with references to dropped entities removed.
 */
import type { Entity, Field } from '../../../core/domain/spec.js';
import type { EntityDraft, FieldDraft } from './draft.js';
import { labelFromName, pluralIdentifier, pluralLabelFromName, safeFieldName } from './naming.js';

export const MAX_ENTITIES = 12;
export const MAX_FIELDS = 30;

/** Fields a person reads as a row's title, best first. */
const DISPLAY_PREFERENCE = [
  'name',
  'title',
  'subject',
  'label',
  'fullName',
  'headline',
  'question',
  'number',
  'orderNumber',
  'code',
];
const ENUM_VALUE = /^[a-z0-9][a-z0-9_-]*$/;

export function toField(draft: FieldDraft): Field | undefined {
  const name = safeFieldName(draft.name);
  if (!name || !/^[a-z][a-zA-Z0-9]{0,39}$/.test(name)) return undefined;
  const base: Field = {
    name,
    label: labelFromName(name),
    type: draft.type,
    required: draft.required,
    unique: draft.unique,
  };
  if (draft.type === 'enum') {
    const values = [
      ...new Set((draft.enumValues ?? []).filter((v) => ENUM_VALUE.test(v) && v.length <= 40)),
    ].slice(0, 20);
    return values.length >= 2 ? { ...base, enumValues: values } : { ...base, type: 'string' };
  }
  if (draft.type === 'reference' || draft.type === 'references') {
    return draft.target ? { ...base, target: draft.target } : undefined;
  }
  if (draft.type === 'integer' || draft.type === 'number' || draft.type === 'money') {
    const { min, max } = draft;
    if (min !== undefined && max !== undefined && min > max) return base;
    return {
      ...base,
      ...(min !== undefined && Number.isFinite(min) ? { min } : {}),
      ...(max !== undefined && Number.isFinite(max) ? { max } : {}),
    };
  }
  return base;
}

export function chooseDisplayField(fields: readonly Field[]): string {
  const plain = (f: Field): boolean => f.type === 'string' || f.type === 'email';
  return (
    DISPLAY_PREFERENCE.find((name) => fields.some((f) => f.name === name && plain(f))) ??
    fields.find(plain)?.name ??
    fields.find((f) => f.type !== 'reference' && f.type !== 'references' && f.type !== 'boolean')?.name ??
    fields[0]?.name ??
    'name'
  );
}

/** One entity from its draft: fields deduplicated and bounded, never empty. */
export function toEntity(draft: EntityDraft, known: ReadonlySet<string>): Entity {
  const fields: Field[] = [];
  for (const d of draft.fields) {
    const f = toField(d);
    if (!f || fields.some((x) => x.name === f.name)) continue;
    if (
      f.target &&
      (!known.has(f.target) || (f.target === draft.name && f.type === 'reference' && f.required))
    )
      continue;
    fields.push(f);
  }
  if (!fields.some((f) => f.type !== 'reference' && f.type !== 'references')) {
    fields.unshift({ name: 'name', label: 'Name', type: 'string', required: true, unique: false });
  }
  const bounded = fields.slice(0, MAX_FIELDS);
  return {
    name: draft.name,
    plural: pluralIdentifier(draft.name),
    label: labelFromName(draft.name),
    pluralLabel: pluralLabelFromName(draft.name),
    displayField: chooseDisplayField(bounded),
    fields: bounded,
  };
}

/** All entities within the schema's limits; the first ones (primary first) win when there are too many. */
export function toEntities(drafts: readonly EntityDraft[]): Entity[] {
  const unique = drafts
    .filter((d, i) => drafts.findIndex((x) => x.name === d.name) === i)
    .slice(0, MAX_ENTITIES);
  const known = new Set(unique.map((d) => d.name));
  return unique.map((d) => toEntity(d, known));
}
