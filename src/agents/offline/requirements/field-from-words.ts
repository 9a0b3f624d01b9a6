/** A field draft from the words a person used for it ("a due date", "number of guests", "is active"). */
import { field, type FieldDraft } from './draft.js';
import { singularize } from './inflect.js';
import { inferFieldType } from './lexicon.js';
import { fieldNameFromWords } from './naming.js';

const COUNT_PREFIXES: ReadonlyArray<readonly string[]> = [
  ['number', 'of'],
  ['count', 'of'],
  ['how', 'many'],
  ['no', 'of'],
  ['amount', 'of'],
];

const BOUNDS = new Set(['max', 'min', 'maximum', 'minimum']);

export function fieldFromWords(words: readonly string[], required = false): FieldDraft | undefined {
  let nameWords = words.filter((w) => /^[a-z0-9]+$/.test(w));
  // "a max number of seats" → maxSeats: the bound stays in the name
  const bound = BOUNDS.has(nameWords[0] ?? '') ? nameWords.slice(0, 1) : [];
  const counted = nameWords.slice(bound.length);
  const prefix = COUNT_PREFIXES.find((p) => p.every((w, i) => counted[i] === w));
  if (prefix && counted.length > prefix.length) {
    const rest = [...bound, ...counted.slice(prefix.length)];
    const name = fieldNameFromWords(rest);
    return name ? field(name, 'integer', { required }) : undefined;
  }
  if (nameWords.length === 1 && nameWords[0] === 'due') nameWords = ['due', 'date'];
  const last = nameWords[nameWords.length - 1] ?? '';
  const singularWords = [...nameWords.slice(0, -1), singularize(last)];
  const singularTyping = inferFieldType(singularWords);
  const typing =
    singularTyping.type === 'string' && !singularTyping.unique ? inferFieldType(nameWords) : singularTyping;
  // counts and long text read naturally in the plural ("bedrooms", "notes"); the rest singular ("dueDate")
  const keepPlural = typing.type === 'integer' || typing.type === 'number' || typing.type === 'text';
  const name = fieldNameFromWords(keepPlural ? nameWords : singularWords);
  if (!name) return undefined;
  return field(name, typing.type, {
    required,
    unique: typing.unique ?? false,
    ...(typing.enumValues ? { enumValues: typing.enumValues } : {}),
  });
}
