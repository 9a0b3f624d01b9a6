/**
 * Links told by prepositions, pronouns and possessives rather than by a verb: "requests from
 * tenants", "items stored in bins", "contacts at companies", "cocktails, their ingredients", "each
 * member's bookings", "a setlist of songs", "tenants with a lease (start, end …)".
 */
import { PERSON_NOUNS, catalogNameFor } from './catalog.js';
import { HAVE_INTRO, MODALS, WITH_INTRO } from './clauses.js';
import type { LinkHow, Subject } from './facts.js';
import { FIELD_WORDS, inferFieldType } from './lexicon.js';
import { isEntityHead, isPluralNoun, phraseEndingAt, phraseStartingAt, type Phrase } from './phrases.js';
import { named, type ReaderContext } from './reader-context.js';
import { isRecordPhrase, qualifierChainStart, subjectBefore } from './relation-clauses.js';
import { ITEM_FILLERS, type Sentence } from './text.js';

const at = (tokens: Sentence, k: number): string => tokens[k]?.w ?? '';

/** Participles that place a thing somewhere: "items stored in bins", "plants kept in rooms". */
const PLACING = new Set(
  'stored kept located held placed housed parked shelved displayed hung planted grown filed logged recorded'.split(
    ' ',
  ),
);
/** Prepositions of place or attachment: "contacts at companies", "players on teams". */
const PLACE_PREPOSITIONS = new Set('in at on inside under within against'.split(' '));
/** Heads of "a list of songs": the owner holds many of the things listed. */
const COLLECTION_HEADS = new Set(
  'list set setlist collection selection series playlist lineup catalog catalogue range bunch'.split(' '),
);
/** Words that end the stretch a "with" / "have" list can cover. */
const LIST_END = new Set(['where', 'that', 'which', 'who', 'when', 'so', 'because', 'but', ':']);

/** Reads every prepositional, pronoun and possessive link in one sentence. */
export function readLinkClauses(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, i) => {
    if (t.poss) readPossessive(ctx, si, tokens, i);
    else if (t.w === 'from') readFrom(ctx, si, tokens, i);
    else if (t.w === 'their') readTheir(ctx, si, tokens, i);
    else if (t.w === 'which') readWhich(ctx, si, tokens, i);
    else if (PLACE_PREPOSITIONS.has(t.w)) readPlace(ctx, si, tokens, i);
    else if (COLLECTION_HEADS.has(t.w) && at(tokens, i + 1) === 'of') readCollection(ctx, si, tokens, i);
    if (WITH_INTRO.has(t.w) || HAVE_INTRO.has(t.w)) readDescribedParts(ctx, si, tokens, i);
  });
}

function link(ctx: ReaderContext, from: Subject, to: string, how: LinkHow): void {
  ctx.facts.push({ kind: 'link', from, to: named(to), how });
}

/**
 * "each member's bookings" → Booking.member; "the student's class" → Student.class. A singular
 * possession is an entity only when the prompt also names it as a record elsewhere.
 */
function readPossessive(ctx: ReaderContext, si: number, tokens: Sentence, i: number): void {
  const owner = phraseEndingAt(tokens, i);
  const found = phraseStartingAt(tokens, i + 1);
  if (!owner || !found || found.end <= i) return;
  // "each student's sessions": the possessor is never the first half of a compound
  const owned = found.start > i ? found : { start: i + 1, end: found.end, words: found.words.slice(-1) };
  const head = tokens[owned.end];
  if (!head || FIELD_WORDS.has(head.w) || FIELD_WORDS.has(head.s)) return;
  const plural = isRecordPhrase(tokens, owned);
  if (!plural && !(catalogNameFor([head.s]) || namedAsRecords(ctx, head.s))) return;
  const ownerName = ctx.entity(si, owner);
  const ownedName = ctx.entity(si, owned);
  if (!ownerName || !ownedName) return;
  if (plural) link(ctx, named(ownedName), ownerName, 'parent');
  else link(ctx, named(ownerName), ownedName, 'single');
}

/** Whether a singular word appears in plural as a record noun somewhere in the prompt. */
function namedAsRecords(ctx: ReaderContext, singular: string): boolean {
  return ctx.sentences.some((tokens) =>
    tokens.some((t, k) => t.s === singular && t.w !== t.s && isPluralNoun(tokens, k)),
  );
}

/** "maintenance requests from tenants", "plan dinners for the week from my recipes": a thing from its source. */
function readFrom(ctx: ReaderContext, si: number, tokens: Sentence, i: number): void {
  const source = phraseStartingAt(tokens, i + 1);
  if (!isRecordPhrase(tokens, source)) return;
  const thing = recordBefore(ctx, si, tokens, i);
  if (!thing) return;
  const thingName = ctx.entity(si, thing);
  const name = ctx.entity(si, source);
  if (thingName && name) link(ctx, named(thingName), name, 'single');
}

const looksValue = (phrase: Phrase): boolean => {
  const type = inferFieldType(phrase.words).type;
  return type === 'integer' || type === 'number';
};

/** The nearest plural record noun before i in the same clause, a few words back at most. */
function recordBefore(ctx: ReaderContext, si: number, tokens: Sentence, i: number): Phrase | undefined {
  for (let k = i - 1; k >= 0 && k >= i - 6; k--) {
    const w = at(tokens, k);
    if (w === ',' || w === ':' || w === '(' || w === ')') return undefined;
    // any plural noun: "maintenance requests" is a record even though "requests" alone is a field word
    const phrase = ctx.phraseEnding(si, tokens, k);
    if (phrase && isPluralNoun(tokens, phrase.end) && !looksValue(phrase)) return phrase;
  }
  return undefined;
}

/** Words after "which X" that make it a relative clause ("which is …"), not a choice of X. */
const CLAUSE_VERBS = new Set('is are was were has have can will do does should must'.split(' '));

/**
 * "samples with …, and which study they belong to", "tickets: title, …, which apartment": a list item
 * "which X" picks one of the X records, so the list's owner points at X.
 */
function readWhich(ctx: ReaderContext, si: number, tokens: Sentence, i: number): void {
  if (!/^(,|and|with|:|\(|or)$/.test(at(tokens, i - 1))) return;
  const phrase = phraseStartingAt(tokens, i + 1);
  if (!phrase || phrase.start !== i + 1) return;
  const head = tokens[phrase.end];
  if (!head || FIELD_WORDS.has(head.w) || FIELD_WORDS.has(head.s) || looksValue(phrase)) return;
  if (CLAUSE_VERBS.has(at(tokens, phrase.end + 1))) return;
  const owner = listOwnerAt(ctx, si, tokens, i);
  const name = owner ? ctx.entity(si, phrase) : undefined;
  if (owner && name) link(ctx, owner, name, 'single');
}

/** Who owns the list holding token i: the noun before its "with" / "have", or a headline's subject. */
function listOwnerAt(ctx: ReaderContext, si: number, tokens: Sentence, i: number): Subject | undefined {
  for (let k = i - 1; k >= 0; k--) {
    const w = at(tokens, k);
    if (w === 'where' || w === 'that' || w === 'who') return undefined;
    if (WITH_INTRO.has(w) || HAVE_INTRO.has(w)) {
      const owner = subjectBefore(ctx, si, tokens, k);
      return owner.kind === 'entity' ? owner : undefined;
    }
    // "maintenance requests from tenants: …": the first thing named before the colon
    if (w === ':') return { kind: 'context', sentence: si, pos: k, from: 0 };
  }
  return undefined;
}

/** "cocktails, their ingredients with …": the records after "their" belong to the ones just named. */
function readTheir(ctx: ReaderContext, si: number, tokens: Sentence, i: number): void {
  const prev = at(tokens, i - 1);
  if (prev !== ',' && prev !== 'and' && prev !== 'with') return;
  const owned = phraseStartingAt(tokens, i + 1);
  if (!isRecordPhrase(tokens, owned)) return;
  let b = i - 1;
  while (b >= 0 && (at(tokens, b) === ',' || at(tokens, b) === 'and' || at(tokens, b) === 'with')) b--;
  const owner = ctx.phraseEnding(si, tokens, b);
  if (!owner || !isPluralNoun(tokens, owner.end)) return;
  const ownerName = ctx.entity(si, owner);
  const ownedName = ctx.entity(si, owned);
  if (ownerName && ownedName) link(ctx, named(ownedName), ownerName, 'parent');
}

/**
 * "items stored in bins", "contacts at companies", "each artwork … is in one gallery room": the
 * thing placed points at its place. A bare preposition links only two plural record nouns.
 */
function readPlace(ctx: ReaderContext, si: number, tokens: Sentence, i: number): void {
  const prev = tokens[i - 1];
  if (!prev) return;
  let j = i + 1;
  if (at(tokens, j) === 'each' || at(tokens, j) === 'every') return; // read as a qualifier
  const place = nounPhraseFrom(tokens, j);
  if (!place) return;
  const head = tokens[place.end];
  if (!head || FIELD_WORDS.has(head.w) || FIELD_WORDS.has(head.s)) return;
  for (j = i + 1; j < place.start; j++) if (!ITEM_FILLERS.has(at(tokens, j))) return;
  let subject: Subject | undefined;
  if (PLACING.has(prev.w)) {
    subject = subjectBefore(ctx, si, tokens, afterSubject(tokens, i - 1));
  } else if (/^(is|are)$/.test(prev.w) && /^(a|an|one|the|its|their)$/.test(at(tokens, i + 1))) {
    // "… and is in one gallery room": the clause's subject is the first entity of the sentence part
    const b = copulaSubjectIndex(tokens, i - 1);
    const phrase = b >= 0 ? ctx.phraseEnding(si, tokens, b) : undefined;
    const name = phrase ? ctx.entity(si, phrase) : undefined;
    subject = name ? named(name) : undefined;
  } else if (isPluralNoun(tokens, i - 1) && isRecordPhrase(tokens, place)) {
    const phrase = ctx.phraseEnding(si, tokens, i - 1);
    const name = phrase && isRecordPhrase(tokens, phrase) ? ctx.entity(si, phrase) : undefined;
    subject = name ? named(name) : undefined;
  }
  if (!subject) return;
  const placeName = ctx.entity(si, place);
  if (placeName) link(ctx, subject, placeName, 'single');
}

/**
 * "activities like calls and emails logged against a deal": the examples after "like" are not the
 * subject. Returns the index just after the subject of a participle at k.
 */
function afterSubject(tokens: Sentence, k: number): number {
  for (let b = k - 1; b >= 1 && b >= k - 8; b--) {
    const w = at(tokens, b);
    if (w === ',' || w === ':') break;
    if (w === 'like' || w === 'including') return b;
    if (w === 'as' && at(tokens, b - 1) === 'such') return b - 1;
  }
  return k;
}

/**
 * Index of the noun a copula at k is said of: the word before it, or, after "and", the subject of
 * the clause the "and" continues ("each artwork belongs to an artist and is in …").
 */
function copulaSubjectIndex(tokens: Sentence, k: number): number {
  const b = k - 1;
  if (at(tokens, b) !== 'and') return b;
  let start = b - 1;
  while (start > 0 && at(tokens, start - 1) !== ',' && at(tokens, start - 1) !== ':') start--;
  const subject = phraseStartingAt(tokens, start);
  return subject && subject.end < b && !looksVerb(tokens, subject.end) ? subject.end : -1;
}

/** The longest noun phrase from j on ("one gallery room" → gallery room), skipping articles. */
function nounPhraseFrom(tokens: Sentence, j: number): Phrase | undefined {
  const first = phraseStartingAt(tokens, j);
  if (!first) return undefined;
  let end = first.end;
  while (end - first.start < 2 && isEntityHead(tokens[end + 1])) end++;
  if (end === first.end) return first;
  const words = tokens.slice(first.start, end + 1).map((t, k) => (first.start + k === end ? t.s : t.w));
  return { start: first.start, end, words };
}

const looksVerb = (tokens: Sentence, k: number): boolean =>
  /^(is|are|belongs?|has|have)$/.test(at(tokens, k));

/**
 * "rehearsals have a date, a room and a setlist of songs": the owner of the list holds many of the
 * things listed, and a thing may sit in many owners (many-to-many).
 */
function readCollection(ctx: ReaderContext, si: number, tokens: Sentence, i: number): void {
  const things = phraseStartingAt(tokens, i + 2);
  if (!isRecordPhrase(tokens, things)) return;
  const intro = introBefore(tokens, i);
  if (intro < 0) return;
  const owner = subjectBefore(ctx, si, tokens, intro);
  const name = ctx.entity(si, things);
  ctx.use(si, i, i + 1);
  // 'people' is the many-to-many link: owner.<things> references
  if (owner.kind === 'entity' && name) link(ctx, owner, name, 'people');
}

/** Index of the "with" / "have" whose list holds token i, or -1. */
function introBefore(tokens: Sentence, i: number): number {
  for (let k = i - 1; k >= 0; k--) {
    const w = at(tokens, k);
    if (LIST_END.has(w)) return -1;
    if (WITH_INTRO.has(w) || HAVE_INTRO.has(w)) return k;
  }
  return -1;
}

/**
 * "invoices with a number, a status (…) and line items (description, qty …)", "tenants with a lease
 * (start, end …)": a part described by its own fields is an entity that belongs to the list's owner.
 */
function readDescribedParts(ctx: ReaderContext, si: number, tokens: Sentence, i: number): void {
  // "a treatment plan per patient with exercises (…)": the list belongs to the plan, not the patient
  let b = qualifierChainStart(tokens, i) - 1;
  while (b >= 0 && MODALS.has(at(tokens, b))) b--;
  const ownerPhrase = ctx.phraseEnding(si, tokens, b);
  if (!ownerPhrase) return;
  let ownerName: string | undefined;
  for (let k = i + 1; k < tokens.length; k++) {
    const w = at(tokens, k);
    if (LIST_END.has(w) || (k > i + 1 && (WITH_INTRO.has(w) || HAVE_INTRO.has(w)))) return;
    const part = w === '(' ? entityAt(ctx, si, k - 1) : relativeItemAt(ctx, si, tokens, k, i);
    if (part) {
      ownerName ??= ctx.entity(si, ownerPhrase);
      if (ownerName && ownerName !== part) link(ctx, named(part), ownerName, 'parent');
      const holder = peopleHolder(ctx, si, tokens, ownerPhrase);
      if (holder && holder !== part) link(ctx, named(part), holder, 'single');
    }
    if (w === '(') while (k < tokens.length && at(tokens, k) !== ')') k++;
  }
}

/**
 * "units have tenants with a lease (…)": people had by a thing, described with a record, make that
 * record the link between both — the lease is the tenant's, in the unit.
 */
function peopleHolder(ctx: ReaderContext, si: number, tokens: Sentence, people: Phrase): string | undefined {
  const have = people.start - 1;
  if (!HAVE_INTRO.has(at(tokens, have)) || !PERSON_NOUNS.has(people.words.at(-1) ?? '')) return undefined;
  const holder = subjectBefore(ctx, si, tokens, have);
  return holder.kind === 'entity' ? holder.name : undefined;
}

/** Words that open a relative clause after a noun: "deposits i make", "photos that show …". */
const RELATIVE_OPENERS = new Set('i we you they that which who'.split(' '));

/**
 * A list item that is a plural record followed by a relative clause ("… and deposits i make over
 * time"): an entity of its own, though the words after it are no field.
 */
function relativeItemAt(
  ctx: ReaderContext,
  si: number,
  tokens: Sentence,
  k: number,
  intro: number,
): string | undefined {
  if (!RELATIVE_OPENERS.has(at(tokens, k + 1))) return undefined;
  const phrase = ctx.phraseEnding(si, tokens, k);
  if (!phrase || !isRecordPhrase(tokens, phrase)) return undefined;
  let b = phrase.start - 1;
  while (b > intro && ITEM_FILLERS.has(at(tokens, b))) b--;
  const startsItem = b === intro || at(tokens, b) === ',' || at(tokens, b) === 'and';
  return startsItem ? ctx.entity(si, phrase) : undefined;
}

/** The entity a rule already recorded with its head at token k, if any. */
function entityAt(ctx: ReaderContext, si: number, k: number): string | undefined {
  for (const f of ctx.facts) if (f.kind === 'entity' && f.sentence === si && f.pos === k) return f.name;
  return undefined;
}
