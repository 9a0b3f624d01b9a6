/**
 * Identifier and label rules for spec names: PascalCase entities, camelCase fields, kebab-case slugs,
 * never a reserved name (spec.ts), always within the schema's length limits.
 */
import { RESERVED_ENTITY_NAMES, RESERVED_FIELD_NAMES } from '../../../core/domain/spec.js';
import { isUncountable, pluralize, singularize } from './inflect.js';

const MAX_NAME = 40;
const MAX_LABEL = 60;

/** Splits any identifier-ish text ("dueDate", "due_date", "Due Date") into lower-case ASCII words. */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** Joins words while the result stays within `max` characters, so long phrases never break the schema. */
function joinBounded(words: string[], join: (ws: string[]) => string, max: number): string {
  let kept = words;
  while (kept.length > 1 && join(kept).length > max) kept = kept.slice(0, -1);
  return join(kept).slice(0, max);
}

export const toPascal = (words: string[]): string =>
  joinBounded(words, (ws) => ws.map(capitalize).join(''), MAX_NAME);
export const toCamel = (words: string[]): string =>
  joinBounded(words, (ws) => ws.map((w, i) => (i === 0 ? w : capitalize(w))).join(''), MAX_NAME);

/** Entities whose natural name is reserved, mapped to the nearest unreserved name a person would accept. */
const ENTITY_RENAMES: Readonly<Record<string, string>> = {
  Event: 'CalendarEvent',
  Request: 'ServiceRequest',
  File: 'Attachment',
  Type: 'Kind',
  Date: 'CalendarDate',
  Document: 'Doc',
  Page: 'WebPage',
  Form: 'FormTemplate',
  List: 'Checklist',
  Store: 'Shop',
  Model: 'ProductModel',
  Map: 'MapArea',
  Set: 'WorkoutSet',
  Response: 'Reply',
  Error: 'ErrorReport',
  Record: 'Entry',
  Node: 'TreeNode',
  Window: 'TimeWindow',
  Layout: 'PageLayout',
  Api: 'ApiEndpoint',
  App: 'Application',
  URL: 'Link',
  Promise: 'Pledge',
  // camelCase forms of these are JavaScript keywords, which generators use as variable names
  Class: 'ClassSession',
  Case: 'CaseFile',
  Package: 'Parcel',
  Return: 'ProductReturn',
  Import: 'ImportJob',
  Export: 'ExportJob',
};

/** Field names that would be reserved, mapped to a readable equivalent. */
const FIELD_RENAMES: Readonly<Record<string, string>> = {
  type: 'kind',
  class: 'className',
  default: 'isDefault',
  new: 'isNew',
  private: 'isPrivate',
  public: 'isPublic',
  static: 'isStatic',
  package: 'packageName',
  delete: 'deleted',
  function: 'role',
  case: 'caseName',
  return: 'returnDate',
  yield: 'yieldAmount',
  import: 'imported',
  export: 'exported',
  arguments: 'argumentList',
};
/** Columns the generated app adds itself: a field with this name is dropped, not renamed. */
const GENERATED_COLUMNS = new Set(['id', 'createdAt', 'updatedAt']);

function isReservedEntity(name: string): boolean {
  const camel = name.charAt(0).toLowerCase() + name.slice(1);
  return RESERVED_ENTITY_NAMES.has(name) || RESERVED_FIELD_NAMES.has(camel);
}

/** A safe entity name for an already PascalCase candidate. */
export function safeEntityName(pascal: string): string {
  if (!isReservedEntity(pascal)) return pascal;
  const renamed = ENTITY_RENAMES[pascal] ?? `${pascal}Item`;
  return isReservedEntity(renamed) ? `${pascal}Entry` : renamed;
}

/** PascalCase singular entity name from a noun phrase ("stock movements" → StockMovement), or undefined. */
export function entityNameFromWords(words: string[]): string | undefined {
  const clean = words.map((w) => w.toLowerCase().replace(/[^a-z0-9]/g, '')).filter((w) => w.length > 0);
  if (clean.length === 0 || !/^[a-z]/.test(clean[0] ?? '')) return undefined;
  const last = clean.length - 1;
  const singular = clean.map((w, i) => (i === last ? singularize(w) : w));
  return safeEntityName(toPascal(singular));
}

/** camelCase field name from words; undefined for columns the app generates itself (id, createdAt…). */
export function fieldNameFromWords(words: string[]): string | undefined {
  const clean = words.map((w) => w.toLowerCase().replace(/[^a-z0-9]/g, '')).filter((w) => w.length > 0);
  if (clean.length === 0 || !/^[a-z]/.test(clean[0] ?? '')) return undefined;
  return safeFieldName(toCamel(clean));
}

/** A safe field name for an already camelCase candidate; undefined when the app generates that column. */
export function safeFieldName(camel: string): string | undefined {
  if (GENERATED_COLUMNS.has(camel) || camel === 'createdOn' || camel === 'updatedOn') return undefined;
  // `type` is legal but collides with TypeScript and ORM keywords in generated code
  if (camel === 'type') return 'kind';
  if (!RESERVED_FIELD_NAMES.has(camel)) return camel;
  const renamed = FIELD_RENAMES[camel] ?? `${camel}Value`;
  return RESERVED_FIELD_NAMES.has(renamed) ? undefined : renamed;
}

/** camelCase of an entity name: the conventional name of a reference field to it. */
export const referenceFieldName = (entity: string): string =>
  safeFieldName(entity.charAt(0).toLowerCase() + entity.slice(1)) ??
  `${entity.toLowerCase()}Ref`.slice(0, MAX_NAME);

/** camelCase plural identifier ("StockMovement" → stockMovements); never equal to the singular. */
export function pluralIdentifier(entity: string): string {
  const words = splitWords(entity);
  const last = words[words.length - 1] ?? 'item';
  if (isUncountable(last)) return toCamel([...words, 'items']);
  return toCamel([...words.slice(0, -1), pluralize(last)]);
}

/** Words shown upper-case in labels. */
const ACRONYMS = new Set([
  'rsvp',
  'isbn',
  'sku',
  'url',
  'crm',
  'vin',
  'gpa',
  'api',
  'sms',
  'faq',
  'pdf',
  'ip',
  'bmi',
]);

function sentenceCase(words: string[]): string {
  const text = words
    .map((w, i) => (ACRONYMS.has(w) ? w.toUpperCase() : i === 0 ? capitalize(w) : w))
    .join(' ');
  return (text || 'Item').slice(0, MAX_LABEL);
}

/** Human label from an identifier: "dueDate" → "Due date", "StockMovement" → "Stock movement". */
export const labelFromName = (name: string): string => sentenceCase(splitWords(name));

/** Plural human label: "StockMovement" → "Stock movements". */
export function pluralLabelFromName(entity: string): string {
  const words = splitWords(entity);
  const last = words[words.length - 1] ?? 'item';
  return sentenceCase([...words.slice(0, -1), pluralize(last)]);
}

/** Title Case for app names, keeping acronyms upper-case. */
export const titleCase = (words: string[]): string =>
  words.map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : capitalize(w))).join(' ');

/** kebab-case slug within 50 characters, never empty. */
export function slugify(text: string): string {
  const words = splitWords(text);
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > 50) break;
    slug = next;
  }
  return slug || 'app';
}
