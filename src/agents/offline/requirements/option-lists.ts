/**
 * Option lists inside a field list: "size small/medium/large" is one enum field, "paid yes/no" and
 * "adopted or not" one flag, and "(florist, caterer, dj …)" after a noun lists example values, not fields.
 */
import type { FieldItem } from './facts.js';
import { looksPlural } from './inflect.js';
import { FIELD_WORDS, inferFieldType } from './lexicon.js';
import { ITEM_FILLERS, type Token } from './text.js';

export interface OptionField {
  words: string[];
  type: 'enum' | 'boolean';
  values?: string[];
}

/** What one comma-separated segment of a list holds: plain fields, and at most one option field. */
export interface Segment {
  fields: FieldItem[];
  option?: OptionField;
}

const YES_NO = new Set('yes no y n true false'.split(' '));
const MAX_VALUE_WORDS = 3;
const isWord = (w: string | undefined): w is string => w !== undefined && /^[a-z0-9]+$/.test(w);

/** Splits tokens [a, b) at commas and "and" only: slashes and "or" stay inside a segment. */
export function splitSegments(tokens: readonly Token[], a: number, b: number): Token[][] {
  const segments: Token[][] = [];
  let current: Token[] = [];
  for (let j = a; j <= b; j++) {
    const t = tokens[j];
    if (j === b || !t || t.w === ',' || t.w === 'and') {
      if (current.length > 0) segments.push(current);
      current = [];
    } else current.push(t);
  }
  return segments;
}

const valueOf = (words: readonly string[]): string => words.join('_').slice(0, 40);

/** Words before an option list: two or fewer name one field ("membership type"); more are a run of fields. */
function optionHead(head: readonly string[], option: Omit<OptionField, 'words'>): Segment | undefined {
  if (head.length === 0) return undefined;
  if (head.length <= 2) return { fields: [], option: { ...option, words: [...head] } };
  // "name breed size small/medium/large": the last word owns the values, the rest are fields
  const fields = head.slice(0, -1).map((w) => ({ words: [w] }));
  return { fields, option: { ...option, words: head.slice(-1) } };
}

/** "size small/medium/large", "plus one yes/no", "adopted or not"; undefined for a plain item. */
export function readOptionSegment(segment: readonly Token[]): Segment | undefined {
  const words = segment.map((t) => t.w).filter((w, k) => !(k === 0 && ITEM_FILLERS.has(w)));
  const slash = words.indexOf('/');
  if (slash > 0) {
    const values: string[] = [valueOf([words[slash - 1] ?? ''])];
    let k = slash;
    while (words[k] === '/') {
      const piece: string[] = [];
      k++;
      while (isWord(words[k]) && piece.length < MAX_VALUE_WORDS) piece.push(words[k++] ?? '');
      if (piece.length === 0) break;
      values.push(valueOf(piece));
    }
    const head = words.slice(0, slash - 1).filter(isWord);
    if (values.every((v) => YES_NO.has(v))) return optionHead(head, { type: 'boolean' });
    const unique = [...new Set(values)];
    return unique.length >= 2 ? optionHead(head, { type: 'enum', values: unique }) : undefined;
  }
  const n = words.length;
  if (n >= 3 && words[n - 2] === 'or' && words[n - 1] === 'not') {
    return optionHead(words.slice(0, -2).filter(isWord), { type: 'boolean' });
  }
  return undefined;
}

/** A list item that reads as a field name: a known field word, or a word with a type of its own. */
function isFieldLike(words: readonly string[]): boolean {
  const last = words[words.length - 1] ?? '';
  return FIELD_WORDS.has(last) || inferFieldType(words).type !== 'string';
}

/**
 * "vendors (florist, caterer, dj)", "assets (hvac units, elevators, pumps)": examples of the thing
 * rather than its fields. Told by a trailing "etc", by every item being a plural, or by a singular head
 * that is itself a field ("instrument (piano, guitar, violin)").
 */
export function isExampleList(segments: readonly Token[][], headIsSingular: boolean): boolean {
  const marked = segments.some((s) => s.some((t) => t.w === 'etc'));
  const values = segments
    .map((s) => s.map((t) => t.w).filter((w) => !ITEM_FILLERS.has(w)))
    .filter((words) => words.length > 0);
  if (values.length < 2 || values.some((words) => words.length > 2 || !words.every(isWord))) return false;
  if (values.some(isFieldLike)) return false;
  const allPlural = values.every((words) => looksPlural(words[words.length - 1] ?? ''));
  return marked || allPlural || headIsSingular;
}

/** Enum values from example items: "hvac units" → hvac_unit, singular, unique. */
export function exampleValues(segments: readonly Token[][]): string[] {
  const values = segments
    .map((s) =>
      s
        .filter((t) => !ITEM_FILLERS.has(t.w) && isWord(t.w))
        .map((t, k, all) => (k === all.length - 1 ? t.s : t.w)),
    )
    .filter((words) => words.length > 0)
    .map(valueOf);
  return [...new Set(values)].slice(0, 20);
}
