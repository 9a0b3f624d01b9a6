/**
 * Reading a change request: split it into clauses ("add …, and remove …"), and read the fields,
 * enum values and child entities a clause lists.
 */
import { field as fieldDraft, type FieldDraft } from './draft.js';
import { fieldFromWords } from './field-from-words.js';
import { looksPlural } from './inflect.js';
import { FIELD_WORDS, inferFieldType } from './lexicon.js';
import { fieldNameFromWords } from './naming.js';
import { phraseWords } from './spec-edit.js';
import { normalizeText } from './text.js';

const COMMANDS = 'add|remove|delete|drop|rename|make|change|set|each|every|also|include|create|link|mark';
const CLAUSE_SPLIT = new RegExp(
  `(?:\\s*,\\s*(?:and\\s+|then\\s+)?|\\s+and\\s+|\\s+then\\s+)(?=(?:${COMMANDS})\\b)`,
);
const ENUM_IN_ITEM =
  /\b(?!(?:a|an|the|with|and)\b)([a-z]+)\s*(?:\(([^)]*)\)|:?\s+((?:[a-z0-9]+(?: [a-z0-9]+)?\s*\/\s*)+[a-z0-9]+(?: [a-z0-9]+)?))/;

export function clausesOf(request: string): string[] {
  // spaces inside parentheses would read as clause words ("(open, in progress)"): join them
  return normalizeText(request)
    .replace(/\(([^()]*)\)/g, (_, inner: string) => `(${inner.replace(/\s+/g, '_')})`)
    .split(/[.;!?\n]+/)
    .flatMap((part) => part.split(CLAUSE_SPLIT))
    .map((c) =>
      c
        .replace(/^(?:please|also|then|and)\s+/, '')
        .replace(/[\s,:]+$/, '')
        .trim(),
    )
    .filter((c) => c.length > 0);
}

export const enumValues = (text: string): string[] => [
  ...new Set(
    text
      .split(/\s*(?:,|\/|\bor\b|\band\b)\s*/)
      .map((v) => phraseWords(v).join('_'))
      .filter((v) => /^[a-z0-9][a-z0-9_-]*$/.test(v)),
  ),
];

/** "a priority field", "a status open/closed", "tags": field drafts or child entities to add. */
export interface Item {
  draft?: FieldDraft;
  /** The reviewer listed enum values: they replace an existing field's values. */
  values?: boolean;
  entityWords?: string[];
}

export function readItems(text: string): Item[] {
  const found = ENUM_IN_ITEM.exec(text);
  let rest = text;
  const items: Item[] = [];
  if (found && (found[2] ?? found[3])) {
    const values = enumValues(found[2] ?? found[3] ?? '');
    const name = fieldNameFromWords([found[1] ?? '']);
    if (name && values.length >= 2)
      items.push({ draft: fieldDraft(name, 'enum', { enumValues: values }), values: true });
    rest = text.replace(found[0], ' ');
  }
  for (const part of rest.split(/\s*(?:,|\band\b)\s*/)) {
    const words = phraseWords(part).filter((w) => !['optional', 'required'].includes(w));
    const last = words[words.length - 1];
    if (!last) continue;
    const type = inferFieldType(words).type;
    if (looksPlural(last) && !FIELD_WORDS.has(last) && type !== 'integer' && type !== 'number') {
      items.push({ entityWords: words });
      continue;
    }
    const draft = fieldFromWords(words, /\brequired\b/.test(part));
    if (draft) items.push({ draft });
  }
  return items;
}
