/**
 * Comma lists that name their owner by position rather than by "with": after a colon ("log my lifts:
 * exercise, weight, sets"), with the owner as the first item ("tracker: flats i viewed, rent, size"),
 * or after a verb of recording ("record litres, price per litre and the station").
 */
import { looksPlural } from './inflect.js';
import { FIELD_WORDS, isParticiple, TAG_WORDS } from './lexicon.js';
import { isEntityHead, isNounish, isPluralNoun } from './phrases.js';
import { ITEM_FILLERS, type Sentence } from './text.js';

export interface ColonSegment {
  /** First and last token of the segment (inclusive), parentheses included. */
  start: number;
  end: number;
  /** Index of the plural noun heading the segment when it names a set of things ("delivery vans"). */
  head?: number;
}

/** What a colon's list holds. */
export type ColonListKind =
  | 'fields' // fields of the thing before the colon, or of the app's subject
  | 'owned' // the first item is the thing, the rest its fields ("flats i viewed, rent, size")
  | 'entities'; // a list of the app's things ("tracker: vehicles, drivers and trips")

const MAX_SEGMENT = 7;
const SEPARATORS = new Set([',', 'and', 'or', 'plus']);

/** Segments of the list from `from` to the end of the sentence, split at commas and "and". */
export function segmentsFrom(tokens: Sentence, from: number): ColonSegment[] {
  const segments: ColonSegment[] = [];
  let start = from;
  let depth = 0;
  const flush = (end: number): boolean => {
    if (end < start) return true;
    if (end - start + 1 > MAX_SEGMENT) return false;
    segments.push({ start, end, ...headOf(tokens, start, end) });
    return true;
  };
  for (let j = from; j < tokens.length; j++) {
    const w = tokens[j]?.w ?? '';
    if (w === '(') depth++;
    else if (w === ')') depth = Math.max(0, depth - 1);
    else if (w === ':' && depth === 0) break;
    else if (depth === 0 && SEPARATORS.has(w)) {
      if (!flush(j - 1)) return segments;
      start = j + 1;
    }
  }
  flush(tokens.length - 1);
  return segments;
}

/** The plural noun a segment opens with, with at most two modifiers before it. */
function headOf(tokens: Sentence, start: number, end: number): { head?: number } {
  let k = start;
  while (k <= end && ITEM_FILLERS.has(tokens[k]?.w ?? '')) k++;
  for (let h = k; h <= end && h - k <= 2; h++) {
    const t = tokens[h];
    if (!isNounish(t) || tokens[h + 1]?.w === '/') return {};
    if (!looksPlural(t.w)) continue;
    if (!isPluralNoun(tokens, h) || !isEntityHead(t) || FIELD_WORDS.has(t.w) || TAG_WORDS.has(t.w)) return {};
    // "dietary restrictions", "special requests": an adjective before a plural makes a description
    if (h > k && ADJECTIVE_ENDING.test(tokens[h - 1]?.w ?? '')) return {};
    // "glasses of water" measures something else; "teachers mark …" is a clause, not an item
    const after = tokens[h + 1]?.w;
    const recordOf = after === 'of' && RECORD_HEADS.has(t.s);
    return after === undefined || h === end || HEAD_TAILS.has(after) || recordOf ? { head: h } : {};
  }
  return {};
}

/** Records of measured values: "readings of temperature, humidity and moisture". */
export const RECORD_HEADS = new Set('reading measurement sample test check observation'.split(' '));

/** What may follow an item's head: its own list, a clause saying which ones, or a place. */
const HEAD_TAILS = new Set(
  '( with having w i we you they that which who on in at for from per by'.split(' '),
);

/** Adjectives told by their ending: dietary, special, medical, various, expensive, electric. */
const ADJECTIVE_ENDING = /^[a-z]{3,}(ary|al|ial|ic|ous|ive|ful|less|able|ible)$/;
/** Little words that may sit inside a field's name: "distance to work", "price per litre". */
const FIELD_CONNECTORS = new Set('of per to in on for at by from'.split(' '));

/** A segment that can be a field: a few plain words, no clause of its own. */
export function isFieldSegment(tokens: Sentence, segment: ColonSegment): boolean {
  if (segment.head !== undefined) return false;
  const range = tokens.slice(segment.start, segment.end + 1);
  const words = range.map((t) => t.w).filter((w) => /^[a-z]/.test(w) && !ITEM_FILLERS.has(w));
  const first = words[0] ?? '';
  const last = words[words.length - 1] ?? '';
  // "taken every hour", "rented by members": a participle opening a clause
  if (words.length > 1 && isParticiple(first)) return false;
  return (
    words.length > 0 &&
    words.length <= 5 &&
    !FUNCTION_WORDS.has(first) &&
    !FIELD_CONNECTORS.has(last) &&
    words.every((w) => !FUNCTION_WORDS.has(w)) &&
    // "teachers mark students": a plural inside the words is a subject with its verb
    !range.some((t, k) => {
      const next = range[k + 1]?.w ?? '';
      return looksPlural(t.w) && /^[a-z]/.test(next) && !FIELD_CONNECTORS.has(next);
    })
  );
}

/** Pronouns, auxiliaries and conjunctions: a segment holding one is a clause, not a field's name. */
const FUNCTION_WORDS = new Set(
  `i we you they he she it me us them my our your their his her its who whom whose which what where when
  why how is are was were be been being am do does did has have had can could should would will shall may
  might must not no yes if whether that this these those there then than so but because while also just
  need needs want wants see show`.split(/\s+/),
);

/** Words that open a list of their own inside a segment: what follows belongs to that list. */
const SUBLIST = new Set('with having w'.split(' '));

/**
 * The segments a colon's list is made of: up to the first one opening a "with" list of its own, and
 * before the first clause ("each activity has time"). Segments a value rule read count as fields.
 */
export function colonRun(
  tokens: Sentence,
  colon: number,
  isUsed: (k: number) => boolean = () => false,
): { segments: ColonSegment[]; fields: ColonSegment[] } {
  const segments: ColonSegment[] = [];
  const fields: ColonSegment[] = [];
  for (const segment of segmentsFrom(tokens, colon + 1)) {
    const range = tokens.slice(segment.start, segment.end + 1);
    const read = range.every((_, k) => isUsed(segment.start + k));
    const sublist = range.findIndex((t) => SUBLIST.has(t.w));
    // "days with activities" after the first item starts another thing with its own list
    if (sublist >= 0 && segments.length > 0) break;
    const before = sublist > 0 ? { ...segment, end: segment.start + sublist - 1 } : segment;
    if (read) {
      segments.push(segment);
      fields.push(segment);
    } else if (segment.head !== undefined) segments.push(segment);
    else if (isFieldSegment(tokens, before)) {
      segments.push(before);
      fields.push(before);
    } else break;
  }
  return { segments, fields };
}

/** How the list after the colon at index `colon` reads, or undefined when it is too short to tell. */
export function colonListKind(
  tokens: Sentence,
  colon: number,
  isUsed?: (k: number) => boolean,
): ColonListKind | undefined {
  const { segments, fields } = colonRun(tokens, colon, isUsed);
  const entities = segments.filter((s) => s.head !== undefined);
  if (segments.length < 2) return entities.length > 0 ? 'entities' : undefined;
  const first = segments[0];
  const restFields = fields.filter((s) => s !== first).length;
  if (first?.head !== undefined && restFields >= 2 && restFields > entities.length - 1) return 'owned';
  if (fields.length >= 2 && fields.length > entities.length) return 'fields';
  return entities.length > 0 ? 'entities' : undefined;
}

/** Index of the "(" that the ")" at `close` ends, or `close` itself when there is none. */
export function openingBefore(tokens: Sentence, close: number): number {
  for (let k = close - 1; k >= 0; k--) if (tokens[k]?.w === '(') return k;
  return close;
}

const PREPOSITIONS = new Set('from of for at in with by on'.split(' '));

/**
 * End of the noun phrase heading a headline: "maintenance requests from tenants:" is about the
 * requests, so the phrase ends before the preposition. Returns `end` when there is none.
 */
export function headlineEnd(tokens: Sentence, end: number): number {
  return PREPOSITIONS.has(tokens[end - 2]?.w ?? '') && end - 3 >= 0 ? end - 2 : end;
}
