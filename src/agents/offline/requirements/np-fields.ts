/**
 * The noun-phrase pass: lists that attach attributes to a thing ("each route has a grade, a colour and
 * the date it went up", "guests with email and the episode they're on", "store the price and whether
 * it's in stock") read item by item with part-of-speech tags, so an item is its noun phrase and a
 * relative clause after it ("it went up", "they're on") no longer ends the list. It runs after the
 * word-list readers and only reads items they left: what they read stays as they read it.
 */
import { clauseFieldAt } from './clause-fields.js';
import { clauseStart, MODALS } from './clauses.js';
import type { FieldItem, Subject } from './facts.js';
import { looksPlural } from './inflect.js';
import { FIELD_WORDS, NON_THING_WORDS } from './lexicon.js';
import { isFieldItem } from './list-reading.js';
import { toFieldItem } from './lists.js';
import type { PosTag, SentenceTags } from './pos-tags.js';
import { named, type ReaderContext } from './reader-context.js';
import { ITEM_FILLERS, type Sentence, type Token } from './text.js';

/** Words that hand a list of attributes to the thing before them. */
const POSSESSIVE_VERBS = new Set('has have include includes contain contains need needs'.split(' '));
/** Verbs of keeping something on record: the list after them is the record's attributes. */
const KEEPING_VERBS = new Set(
  'track tracks store stores record records log logs keep keeps save saves capture captures note notes'.split(
    ' ',
  ),
);
const SEPARATORS = new Set([',', 'and', 'or', 'plus']);
/** Contractions whose apostrophe the tokenizer dropped: a pronoun with its verb, opening a clause. */
const CONTRACTED_PRONOUNS = new Set(
  'theyre youre were im ive weve theyve hes shes whats whos thats'.split(' '),
);
const MAX_NP_WORDS = 4;
const SPEAKERS = new Set('i we you'.split(' '));

interface Segment {
  start: number;
  /** Inclusive. */
  end: number;
}

const has = (tags: SentenceTags, k: number, tag: PosTag): boolean => tags[k]?.has(tag) ?? false;

/** A token that opens a clause inside an item: a pronoun, a verb or a question word. */
function opensClause(tokens: Sentence, tags: SentenceTags, k: number): boolean {
  const w = tokens[k]?.w ?? '';
  if (CONTRACTED_PRONOUNS.has(w) || ['that', 'which', 'who', 'where', 'when'].includes(w)) return true;
  if (has(tags, k, 'Pronoun') && !ITEM_FILLERS.has(w)) return true;
  return has(tags, k, 'Verb') && !has(tags, k, 'Noun') && !has(tags, k, 'Gerund');
}

/** Comma/and segments after a list's opener, up to the end of the list. */
function segmentsAfter(tokens: Sentence, tags: SentenceTags, from: number): Segment[] {
  const segments: Segment[] = [];
  let start = from;
  let depth = 0;
  for (let k = from; k <= tokens.length; k++) {
    const w = tokens[k]?.w;
    if (w === '(') depth++;
    else if (w === ')') {
      if (depth === 0) {
        if (k > start) segments.push({ start, end: k - 1 });
        return segments;
      }
      depth--;
    }
    if (depth > 0) continue;
    // "guests with email …" inside a colon's list: a new owner's list begins, read from its own opener
    if (w === 'with' || POSSESSIVE_VERBS.has(w ?? '')) {
      if (k > start) segments.push({ start, end: k - 1 });
      break;
    }
    if (w === undefined || w === ':' || SEPARATORS.has(w)) {
      if (k > start) segments.push({ start, end: k - 1 });
      start = k + 1;
      if (w === undefined || w === ':') break;
      // "and members can log ascents": a plural subject and its verb start a new sentence in all but name
      const [a, b, c] = [k + 1, k + 2, k + 3];
      const subject = has(tags, a, 'Plural') || has(tags, a, 'Pronoun');
      const verb = (j: number): boolean => has(tags, j, 'Verb') && !has(tags, j, 'Noun');
      if (subject && (verb(b) || (has(tags, b, 'Auxiliary') && verb(c)))) break;
      // "and show the total": a verb with its object; "harvest year" is a noun compromise took for a verb
      const object =
        ITEM_FILLERS.has(tokens[b]?.w ?? '') || has(tags, b, 'Determiner') || has(tags, b, 'Pronoun');
      if (verb(a) && object && !has(tags, a, 'PastTense') && !has(tags, a, 'Gerund')) break;
    }
  }
  return segments;
}

/** The noun phrase opening a segment, fillers dropped and any clause after it cut off. */
function nounPhrase(tokens: Sentence, tags: SentenceTags, segment: Segment): Token[] {
  const words: Token[] = [];
  for (let k = segment.start; k <= segment.end; k++) {
    const t = tokens[k];
    if (!t || t.w === '(') break;
    if (words.length === 0 && (ITEM_FILLERS.has(t.w) || has(tags, k, 'Determiner'))) continue;
    if (words.length > 0) {
      // "date of birth", "price per litre" keep their preposition; any other one ends the phrase
      const next = tokens[k + 1]?.w ?? '';
      const linking = (t.w === 'of' || t.w === 'per') && /^[a-z]/.test(next) && !ITEM_FILLERS.has(next);
      // "track of my plants", "a list of sponsors": the phrase only holds the things after it
      if (t.w === 'of' && !linking) return [];
      const determiner = ITEM_FILLERS.has(t.w) || has(tags, k, 'Determiner');
      if (!linking && (determiner || has(tags, k, 'Preposition') || opensClause(tokens, tags, k))) break;
    } else if (opensClause(tokens, tags, k)) return [];
    if (!/^[a-z0-9]/.test(t.w)) break;
    words.push(t);
  }
  return words.length <= MAX_NP_WORDS ? words : [];
}

/** A segment naming a thing of its own ("ascents"): a plural that is no count or field word. */
function namesThing(tokens: Sentence, tags: SentenceTags, segment: Segment, owner: Subject): boolean {
  const np = nounPhrase(tokens, tags, segment);
  return (
    np.length > 0 &&
    fieldPhrase(tokens, tags, segment, owner) === undefined &&
    np.some((t) => looksPlural(t.w))
  );
}

/** The segment's noun phrase when it can name a field: a noun at its head, not a unit, not a thing. */
function fieldPhrase(
  tokens: Sentence,
  tags: SentenceTags,
  segment: Segment,
  owner: Subject,
): Token[] | undefined {
  const np = nounPhrase(tokens, tags, segment);
  const last = np[np.length - 1];
  if (!last || NON_THING_WORDS.has(last.w)) return undefined;
  const nouny = np.some((t) => tags[tokens.indexOf(t)]?.has('Noun')) || FIELD_WORDS.has(last.w);
  const item = { tokens: np, start: tokens.indexOf(np[0] as Token), end: tokens.indexOf(last) };
  return nouny && isFieldItem(item, owner) ? np : undefined;
}

/** Question-word items: "how long it takes", "how many are left", "what I paid for it". */
function questionField(tokens: Sentence, tags: SentenceTags, segment: Segment): FieldItem | undefined {
  const [a, b] = [tokens[segment.start]?.w, tokens[segment.start + 1]?.w];
  const rest = tokens.slice(segment.start + 1, segment.end + 1).map((t) => t.w);
  if (a === 'how' && b === 'long') return { words: ['duration'], type: 'integer' };
  if (a === 'how' && b === 'many') {
    const noun = tokens[segment.start + 2];
    const counted =
      noun && has(tags, segment.start + 2, 'Noun') && !opensClause(tokens, tags, segment.start + 2);
    // "how many people are needed" → peopleNeeded; "how many are left" → left
    const state = tokens
      .slice(segment.start + 2, segment.end + 1)
      .find(
        (t, j) =>
          j > 0 && (['PastTense', 'Adjective'] as const).some((tag) => has(tags, segment.start + 2 + j, tag)),
      );
    const words = [...(counted ? [noun.w] : []), ...(state ? [state.w] : [])];
    return { words: words.length > 0 ? words : ['quantity'], type: 'integer' };
  }
  if (a === 'how' && b === 'much') return { words: ['amount'], type: 'money' };
  if (a === 'when') {
    const done = rest.find((w, j) => has(tags, segment.start + 1 + j, 'PastTense'));
    return { words: done ? [done, 'date'] : ['date'], type: 'date' };
  }
  return undefined;
}

/** The owner of a list opened at i: the phrase before the opener, else the clause's subject. */
function listOwner(ctx: ReaderContext, si: number, tokens: Sentence, i: number, keeping: boolean): Subject {
  if (keeping) return { kind: 'context', sentence: si, pos: i };
  let b = i - 1;
  while (b >= 0 && MODALS.has(tokens[b]?.w ?? '')) b--;
  const phrase = b >= 0 ? ctx.phraseEnding(si, tokens, b) : undefined;
  const name = phrase ? ctx.entity(si, phrase) : undefined;
  return name ? named(name) : { kind: 'context', sentence: si, pos: i, from: clauseStart(tokens, i) };
}

/** The fields a segment holds for the owner; none when it holds a thing or nothing. */
function readSegment(
  ctx: ReaderContext,
  si: number,
  tokens: Sentence,
  tags: SentenceTags,
  segment: Segment,
  owner: Subject,
): FieldItem[] {
  const clause = clauseFieldAt(tokens, segment.start);
  if (clause && clause.items.length > 0) {
    ctx.use(si, segment.start, Math.min(segment.end, clause.end));
    return clause.items;
  }
  const question = questionField(tokens, tags, segment);
  if (question) {
    ctx.use(si, segment.start, segment.end);
    return [question];
  }
  const np = fieldPhrase(tokens, tags, segment, owner);
  if (!np) return [];
  const field = toFieldItem(np);
  if (!field) return [];
  ctx.use(si, segment.start, segment.end);
  return [field];
}

/**
 * "X has/with/includes a, b and c", "track/store a, b and c": every item the earlier readers left is
 * read as a noun phrase or a small clause and becomes a field of the list's owner.
 */
export function readNounPhraseLists(
  ctx: ReaderContext,
  si: number,
  tokens: Sentence,
  tags: SentenceTags,
): void {
  tokens.forEach((t, i) => {
    const keeping = (KEEPING_VERBS.has(t.w) && has(tags, i, 'Verb')) || t.w === ':';
    const possessive = POSSESSIVE_VERBS.has(t.w) || t.w === 'with';
    if (!keeping && !possessive) return;
    // "I need a place to …", "we have 3 vans": the speaker's own needs, not a record's attributes
    if (POSSESSIVE_VERBS.has(t.w) && SPEAKERS.has(tokens[i - 1]?.w ?? '')) return;
    // "whether they have paid": "have" is an auxiliary here
    if (POSSESSIVE_VERBS.has(t.w) && has(tags, i + 1, 'Verb') && !has(tags, i + 1, 'Noun')) return;
    const segments = segmentsAfter(tokens, tags, i + 1);
    const fresh = segments.filter((s) => !rangeUsed(ctx, si, s));
    if (fresh.length === 0) return;
    // a list whose every item is a plural thing lists entities, read elsewhere
    const owner = listOwner(ctx, si, tokens, i, keeping);
    // "track vans, drivers and fuel": a list of things to keep is read by the entity readers
    if (keeping && fresh.some((s) => namesThing(tokens, tags, s, owner))) return;
    const read = fresh.map((segment) => readSegment(ctx, si, tokens, tags, segment, owner));
    const count = read.flat().length + (segments.length - fresh.length);
    const explicit = owner.kind === 'entity' && count >= 2;
    for (const item of read.flat()) ctx.addField(owner, item, explicit);
  });
}

function rangeUsed(ctx: ReaderContext, si: number, segment: Segment): boolean {
  for (let k = segment.start; k <= segment.end; k++) if (ctx.isUsed(si, k)) return true;
  return false;
}
