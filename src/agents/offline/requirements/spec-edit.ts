/**
 * Lookups and edits on an existing Spec, used by change requests: find an entity or field by the
 * words a reviewer used, add fields and links, keep display fields and references consistent.
 */
import type { Entity, Field, Spec } from '../../../core/domain/spec.js';
import { chooseDisplayField, toField } from './assemble.js';
import type { FieldDraft } from './draft.js';
import { singularize } from './inflect.js';
import { fieldNameFromWords, pluralIdentifier, referenceFieldName, splitWords } from './naming.js';

const ARTICLES = new Set([
  'a',
  'an',
  'the',
  'each',
  'every',
  'all',
  'new',
  'field',
  'fields',
  'column',
  'property',
  'attribute',
]);

/** Words of a phrase without articles and "field"-like nouns. */
export const phraseWords = (text: string): string[] => splitWords(text).filter((w) => !ARTICLES.has(w));

/** The entity a reviewer means by "tasks", "Task", "the task entity", "stock movements". */
export function findEntity(spec: Spec, text: string): Entity | undefined {
  const words = phraseWords(text).filter(
    (w) => !['entity', 'entities', 'model', 'table', 'resource'].includes(w),
  );
  if (words.length === 0) return undefined;
  const joined = words.join('');
  const singular = [...words.slice(0, -1), singularize(words[words.length - 1] ?? '')].join('');
  return spec.entities.find((e) => {
    const name = e.name.toLowerCase();
    return (
      name === joined ||
      name === singular ||
      e.plural.toLowerCase() === joined ||
      e.pluralLabel.toLowerCase().replace(/ /g, '') === joined
    );
  });
}

/** Fields matching the words ("due date" → dueDate) on one entity, or on every entity. */
export function findFields(
  spec: Spec,
  text: string,
  entity?: Entity,
): Array<{ entity: Entity; field: Field }> {
  const words = phraseWords(text);
  const name = fieldNameFromWords(words);
  const label = words.join(' ');
  const singularName = fieldNameFromWords([
    ...words.slice(0, -1),
    singularize(words[words.length - 1] ?? ''),
  ]);
  const pool = entity ? [entity] : spec.entities;
  return pool.flatMap((e) =>
    e.fields
      .filter((f) => f.name === name || f.name === singularName || f.label.toLowerCase() === label)
      .map((field) => ({ entity: e, field })),
  );
}

/** Adds a field draft; returns a description of what happened or an error message. */
export function addField(
  spec: Spec,
  entity: Entity,
  draft: FieldDraft,
  replaceValues: boolean,
): { ok: string } | { error: string } {
  const target = spec.entities.find((e) => e !== entity && referenceFieldName(e.name) === draft.name);
  const linked: FieldDraft =
    target && draft.type === 'string' ? { ...draft, type: 'reference', target: target.name } : draft;
  const field = toField(linked);
  if (!field) return { error: `"${draft.name}" cannot be a field name` };
  const existing = entity.fields.find((f) => f.name === field.name);
  if (existing) {
    if (replaceValues && field.type === 'enum' && field.enumValues) {
      Object.assign(existing, { type: 'enum', enumValues: field.enumValues });
      return { ok: `Set ${entity.name}.${field.name} to one of: ${field.enumValues.join(', ')}` };
    }
    return { error: `${entity.name} already has a field ${field.name}` };
  }
  if (entity.fields.length >= 30) return { error: `${entity.name} already has 30 fields` };
  entity.fields.push(field);
  return { ok: `Added ${describeField(field)} to ${entity.name}` };
}

export function describeField(field: Field): string {
  const detail =
    field.type === 'enum'
      ? `enum: ${field.enumValues?.join(', ') ?? ''}`
      : field.target
        ? `${field.type} to ${field.target}`
        : field.type;
  return `field ${field.name} (${detail}${field.required ? ', required' : ''})`;
}

/** A many-to-one (or many-to-many) link from one entity to another. */
export function addLink(from: Entity, to: Entity, many: boolean): string {
  const type = many ? 'references' : 'reference';
  const existing = from.fields.find((f) => f.target === to.name && f.type === type);
  if (existing) return `${from.name}.${existing.name} already links to ${to.name}`;
  const name = many ? pluralIdentifier(to.name) : referenceFieldName(to.name);
  const field = toField({ name, type, required: false, unique: false, target: to.name });
  if (!field) return `Could not link ${from.name} to ${to.name}`;
  const clash = from.fields.findIndex((f) => f.name === name);
  if (clash >= 0) from.fields[clash] = { ...field, label: from.fields[clash]?.label ?? field.label };
  else from.fields.push(field);
  return `Linked ${from.name} to ${to.name} (${name}: ${type})`;
}

/** After fields are removed or renamed, make sure each entity still shows a field it has. */
export function repairDisplayFields(spec: Spec): void {
  for (const entity of spec.entities) {
    if (!entity.fields.some((f) => f.name === entity.displayField))
      entity.displayField = chooseDisplayField(entity.fields);
  }
}
