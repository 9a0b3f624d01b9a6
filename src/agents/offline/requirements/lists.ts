/**
 * Reading enumerations out of a sentence: "a title, an author and a published date",
 * "open/in progress/done". Lists stop where the sentence turns into a new clause.
 */
import { OPTIONAL_MARKERS, REQUIRED_MARKERS } from './lexicon.js';
import { ITEM_FILLERS, type Token } from './text.js';
import type { FieldItem } from './facts.js';

/** Words that end a list: a new clause or a prepositional tail begins. */
const BREAKERS = new Set(
  'where that which who so for to when because but while by on in using via then with from at per if whose'.split(
    ' ',
  ),
);
/** Words that are only verbs or pronouns: an item holding one is really a clause. */
const CLAUSE_WORDS = new Set(
  `have has had can could create creates buy buys apply applies submit submits see sees add adds edit
  borrow borrows reserve reserves assign assigns write writes publish publishes upload uploads pay pays
  sell sells get gets make makes let lets want wants need needs is are was were be been will would
  should must may might do does did i we you they he she it them this these those there than not also`.split(
    /\s+/,
  ),
);
/** Noun-or-verb words: a verb when they follow a noun and precede another word ("members book classes"). */
const VERB_NOUNS = new Set(
  `book books rate rates review reviews vote votes post posts record records log logs track tracks
  comment comments reply replies share shares mark marks leave leaves order orders follow follows like
  likes rsvp visit visits attend attends manage manages`.split(/\s+/),
);
const SEPARATORS = new Set([',', '/', 'and', 'or', 'nor']);
const MAX_ITEM_WORDS = 4;

export interface ListItem {
  tokens: Token[];
  start: number;
  end: number;
  /** Answers listed after the item ("paid yes/no"): it is a flag or a choice, not a plain field. */
  answers?: string[];
}

/** Items from `start` until the list ends; `end` is the index after the last token read. */
export function readList(
  tokens: readonly Token[],
  start: number,
  isRead: (k: number) => boolean = () => false,
): { items: ListItem[]; end: number } {
  const items: ListItem[] = [];
  let current: Token[] = [];
  let itemStart = start;
  let lastWord = start;
  let j = start;
  const flush = (at: number): void => {
    if (current.length > 0) items.push({ tokens: current, start: itemStart, end: lastWord });
    current = [];
    itemStart = at + 1;
  };
  for (; j < tokens.length; j++) {
    const t = tokens[j];
    // "amount in cents" already read as one field: its "in" does not end the list
    if (t && current.length > 0 && isRead(j) && isRead(j - 1) && /^[a-z0-9]/.test(t.w)) {
      current.push(t);
      lastWord = j;
      continue;
    }
    if (!t || t.w === ')' || t.w === ':' || BREAKERS.has(t.w)) {
      // "books with a title, members with a name": the item before a second "with" owns a new list
      if (t && (t.w === 'with' || t.w === 'having') && current.length > 0) {
        j = itemStart;
        current = [];
      }
      break;
    }
    if (t.w === '(') {
      while (j < tokens.length && tokens[j]?.w !== ')') j++;
      continue;
    }
    if (SEPARATORS.has(t.w)) {
      flush(j);
      continue;
    }
    const next = tokens[j + 1];
    const actsAsVerb =
      VERB_NOUNS.has(t.w) &&
      current.length > 0 &&
      next !== undefined &&
      /^[a-z]/.test(next.w) &&
      !BREAKERS.has(next.w) &&
      !SEPARATORS.has(next.w);
    const leading = current.findIndex((x) => !ITEM_FILLERS.has(x.w));
    const words = leading < 0 ? 0 : current.length - leading;
    if (CLAUSE_WORDS.has(t.w) || actsAsVerb || words >= MAX_ITEM_WORDS) {
      // the item in progress is the start of a clause: the list ended before it
      j = itemStart;
      current = [];
      break;
    }
    current.push(t);
    lastWord = j;
  }
  flush(j);
  return { items, end: j };
}

/** A list item as a field: fillers and required/optional markers stripped, words kept as written. */
export function toFieldItem(tokens: readonly Token[]): FieldItem | undefined {
  let required: boolean | undefined;
  const words: string[] = [];
  for (const t of tokens) {
    if (OPTIONAL_MARKERS.has(t.w)) required = false;
    else if (REQUIRED_MARKERS.has(t.w)) required = true;
    else if (!(words.length === 0 && ITEM_FILLERS.has(t.w)) && /^[a-z]/.test(t.w)) words.push(t.w);
  }
  if (words.length === 0) return undefined;
  return required === undefined ? { words } : { words, required };
}

/**
 * "min/max players" → min players, max players; "pros/cons" → pros, cons: a slash between two single
 * words shares the words around it. Undefined when the item has no such slash.
 */
export function slashPairs(words: readonly string[]): string[][] | undefined {
  const k = words.indexOf('/');
  if (k < 1 || words.indexOf('/', k + 1) >= 0) return undefined;
  const [a, b] = [words[k - 1], words[k + 1]];
  if (!a || !b || !/^[a-z]+$/.test(a) || !/^[a-z]+$/.test(b)) return undefined;
  const before = words.slice(0, k - 1);
  const after = words.slice(k + 2);
  return [
    [...before, a, ...after],
    [...before, b, ...after],
  ];
}

/** Enum values from list items: lower-case snake_case, unique, at most 20, or undefined if fewer than 2. */
export function toEnumValues(items: readonly ListItem[]): string[] | undefined {
  const values = [
    ...new Set(
      items
        .map((item) =>
          item.tokens
            .map((t) => t.w)
            .filter((w) => /^[a-z0-9]+$/.test(w) && !ITEM_FILLERS.has(w))
            .join('_')
            .slice(0, 40),
        )
        .filter((v) => /^[a-z0-9][a-z0-9_-]*$/.test(v)),
    ),
  ].slice(0, 20);
  return values.length >= 2 ? values : undefined;
}
