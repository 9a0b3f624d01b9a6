/**
 * Noun phrases: which tokens can name an entity, where a phrase starts and ends, and the entity
 * name it maps to (compounds such as "stock movements" → StockMovement, aliases such as dish → Recipe).
 */
import { catalogNameFor, keptAliasName } from './catalog.js';
import { looksPlural } from './inflect.js';
import {
  ACTIVITY_WORDS,
  ACTOR_WORDS,
  APP_WORDS,
  ED_NOUNS,
  FIELD_WORDS,
  NON_THING_WORDS,
  STOP_WORDS,
  TOPIC_ONLY_WORDS,
  VERB_SUBJECT_MARKERS,
  VERBS_ENDING_IN_S,
} from './lexicon.js';
import { entityNameFromWords, safeEntityName } from './naming.js';
import { ITEM_FILLERS, type Token } from './text.js';

/** Heads too vague alone: the word before them is part of the name ("gym class", "purchase order"). */
const GENERIC_HEADS = new Set(
  'class item entry record session slot type movement log plan order request group list line event report member note rate fee period'.split(
    ' ',
  ),
);

/** Verbs that can sit right before a noun ("book classes"): never the first half of a compound. */
const VERB_MODIFIERS = new Set(
  'book rate review vote post track log record manage mark borrow reserve apply bid comment write create add edit take send share view place publish submit upload teach host organize organise sell adopt raise'.split(
    ' ',
  ),
);

/** Particles of phrasal verbs: "fills up", "checks out", "signs off". */
const PARTICLES = new Set('up out off down over back away'.split(' '));

const isWord = (t: Token | undefined): t is Token => t !== undefined && /^[a-z][a-z0-9]*$/.test(t.w);

/** A word that can be part of a noun phrase at all. */
export function isNounish(t: Token | undefined): t is Token {
  return (
    isWord(t) &&
    t.w.length >= 2 &&
    !STOP_WORDS.has(t.w) &&
    !ITEM_FILLERS.has(t.w) &&
    !ACTOR_WORDS.has(t.w) &&
    !VERBS_ENDING_IN_S.has(t.w)
  );
}

/** A unit, a verb or a participle ("litres", "approve", "rented"): a qualifier, not a thing to store. */
function isNonThing(t: Token): boolean {
  if (NON_THING_WORDS.has(t.w) || NON_THING_WORDS.has(t.s)) return true;
  return /^[a-z]{3,}ed$/.test(t.w) && !ED_NOUNS.has(t.w) && !catalogNameFor([t.w]);
}

/** A word that can head an entity name: nounish, and not the app, a place or a filler. */
export function isEntityHead(t: Token | undefined): t is Token {
  return (
    isNounish(t) &&
    !isNonThing(t) &&
    !APP_WORDS.has(t.s) &&
    !ACTIVITY_WORDS.has(t.w) &&
    // "a team app" sets the scene; "teams, players and fixtures" are things to store
    !TOPIC_ONLY_WORDS.has(t.w) &&
    !(TOPIC_ONLY_WORDS.has(t.s) && !looksPlural(t.w))
  );
}

/** An -s word used as a plural noun here, not as a verb ("an app that tracks …"). */
export function isPluralNoun(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (!isEntityHead(t) || !looksPlural(t.w)) return false;
  const prev = tokens[i - 1];
  if (FIELD_WORDS.has(t.w) && !isCompound(prev, t)) return false;
  // "a driver fills up a truck": an -s word with a particle and an object is a phrasal verb
  if (PARTICLES.has(tokens[i + 1]?.w ?? '') && ITEM_FILLERS.has(tokens[i + 2]?.w ?? '')) return false;
  return !(prev && VERB_SUBJECT_MARKERS.has(prev.w));
}

/** Whether `modifier head` reads as one compound noun. */
function isCompound(modifier: Token | undefined, head: Token): modifier is Token {
  if (
    !isNounish(modifier) ||
    FIELD_WORDS.has(modifier.w) ||
    looksPlural(modifier.w) ||
    VERB_MODIFIERS.has(modifier.w)
  )
    return false;
  if (catalogNameFor([modifier.w, head.s])) return true;
  return GENERIC_HEADS.has(head.s) && !APP_WORDS.has(modifier.w) && !TOPIC_ONLY_WORDS.has(modifier.w);
}

export interface Phrase {
  start: number;
  end: number;
  /** Modifier as written, head singular: ["stock", "movement"]. */
  words: string[];
}

/** The noun phrase whose head is token `i` (one or two words), if that token can head one. */
export function phraseEndingAt(tokens: readonly Token[], i: number): Phrase | undefined {
  const head = tokens[i];
  const modifier = tokens[i - 1];
  // "a gift list" holds gifts; "a running log" holds runs: the listed thing is the entity
  const listed = isNounish(modifier) && head ? listedThing(modifier.w, head.s) : undefined;
  if (listed) return { start: i - 1, end: i, words: [listed] };
  if (!isEntityHead(head)) return undefined;
  if (isCompound(modifier, head)) return { start: i - 1, end: i, words: [modifier.w, head.s] };
  return { start: i, end: i, words: [head.s] };
}

/** Heads that only hold records of the thing before them. */
const LIST_HEADS = new Set(['list', 'library', 'collection', 'catalogue', 'catalog']);
const LOG_HEADS = new Set(['log', 'diary', 'journal']);

/** The thing a "<modifier> list" or "<activity> log" holds, or undefined for an ordinary compound. */
function listedThing(modifier: string, head: string): string | undefined {
  const gerund =
    /^[a-z]{3,}ing$/.test(modifier) && !ACTIVITY_WORDS.has(modifier) && !catalogNameFor([modifier]);
  const plain =
    !gerund && !looksPlural(modifier) && !FIELD_WORDS.has(modifier) && !TOPIC_ONLY_WORDS.has(modifier);
  if (LIST_HEADS.has(head) && plain) return modifier;
  if (LOG_HEADS.has(head) && gerund) return verbOfGerund(modifier);
  return undefined;
}

const VOWELS = /[aeiou]+/g;
/** "running" → run, "hiking" → hike, "cycling" → cycle, "walking" → walk. */
export function verbOfGerund(word: string): string {
  const base = word.slice(0, -3);
  if (/([b-df-hj-np-tv-z])\1$/.test(base)) return base.slice(0, -1);
  if (/[b-df-hj-np-tv-z]l$/.test(base)) return `${base}e`;
  const oneSyllable = (base.match(VOWELS) ?? []).length === 1;
  if (oneSyllable && /[b-df-hj-np-tv-z][aeiou][b-df-hj-np-tvz]$/.test(base)) return `${base}e`;
  return base;
}

/** The noun phrase starting at or after `i`, skipping articles and possessives. */
export function phraseStartingAt(tokens: readonly Token[], i: number): Phrase | undefined {
  let j = i;
  while (tokens[j] && ITEM_FILLERS.has(tokens[j]?.w ?? '')) j++;
  const first = tokens[j];
  const second = tokens[j + 1];
  if (second && isEntityHead(second) && isCompound(first, second)) return phraseEndingAt(tokens, j + 1);
  return phraseEndingAt(tokens, j);
}

/**
 * Entity name for a phrase. `compounds` remembers heads already seen in a compound so a later bare
 * "classes" still means GymClass; it is owned by one parse, never shared. `mentioned` holds the
 * prompt's singular words, so an alias keeps the person's word unless the catalog's own is used too.
 */
export function entityNameFor(
  words: readonly string[],
  compounds: Map<string, string>,
  mentioned: ReadonlySet<string> = new Set(),
): string | undefined {
  const head = words[words.length - 1] ?? '';
  if (words.length === 1 && compounds.has(head)) return compounds.get(head);
  const kept = keptAliasName(words, mentioned);
  const resolved = (kept && safeEntityName(kept)) ?? catalogNameFor(words) ?? entityNameFromWords([...words]);
  if (resolved && words.length > 1) compounds.set(head, resolved);
  return resolved;
}
