/**
 * Links between entities told by verbs: "each task belongs to a project", "projects have many
 * tasks", "assign tasks to members", "grades per student", "members borrow books", "authors publish
 * articles". Each reader adds 'link' facts; prepositional and possessive links are in link-clauses.ts.
 */
import { PERSON_NOUNS, catalogNameFor } from './catalog.js';
import {
  AGENT_PARTICIPLES,
  AGENT_VERBS,
  MODALS,
  OBJECT_PREPOSITIONS,
  PARTICIPLES,
  PRONOUNS,
  PHRASAL_VERB_ENTITIES,
  ROLE_VERBS,
  VERB_ENTITIES,
  VERB_SUBJECTS,
  isPersonalVerb,
  quantifiedAt,
} from './clauses.js';
import type { Fact, RoleLink, Subject } from './facts.js';
import { looksPlural } from './inflect.js';
import { FIELD_WORDS, inferFieldType } from './lexicon.js';
import { isEntityHead, isPluralNoun, phraseStartingAt, type Phrase } from './phrases.js';
import { named, type ReaderContext } from './reader-context.js';
import { ITEM_FILLERS, type Sentence } from './text.js';

const at = (tokens: Sentence, k: number): string => tokens[k]?.w ?? '';

/** The entity a clause is about, just before index i ("each task belongs …"), else the context. */
export function subjectBefore(ctx: ReaderContext, si: number, tokens: Sentence, i: number): Subject {
  let b = i - 1;
  while (b >= 0 && MODALS.has(at(tokens, b))) b--;
  const phrase = ctx.phraseEnding(si, tokens, b);
  const name = phrase ? ctx.entity(si, phrase) : undefined;
  return name ? named(name) : { kind: 'context', sentence: si, pos: i };
}

/**
 * A phrase that names records rather than a value: a plural noun that is not a field word or a
 * count ("workout sessions", not "due dates" or "points").
 */
export function isRecordPhrase(tokens: Sentence, phrase: Phrase | undefined): phrase is Phrase {
  if (!phrase) return false;
  const head = tokens[phrase.end];
  if (!head || FIELD_WORDS.has(head.w) || FIELD_WORDS.has(head.s)) return false;
  if (!isPluralNoun(tokens, phrase.end)) return false;
  const type = inferFieldType(phrase.words).type;
  return type !== 'integer' && type !== 'number';
}

/** Index of the token a "belongs to" / "is part of" / "written by" clause names its parent at, or -1. */
function parentIndex(tokens: Sentence, i: number): number {
  const w = at(tokens, i);
  if ((w === 'belongs' || w === 'belong') && at(tokens, i + 1) === 'to') return i + 2;
  const copula = w === 'is' || w === 'are';
  if (
    copula &&
    /^(assigned|linked|attached|tied|connected|related)$/.test(at(tokens, i + 1)) &&
    at(tokens, i + 2) === 'to'
  )
    return i + 3;
  if (copula && at(tokens, i + 1) === 'part' && at(tokens, i + 2) === 'of') return i + 3;
  // "employees belonging to a department", "books written by authors"
  if (
    i > 0 &&
    !/^(is|are|was|were|be|been|get|gets|got)$/.test(at(tokens, i - 1)) &&
    ((PARTICIPLES.has(w) && at(tokens, i + 1) === 'to') ||
      (AGENT_PARTICIPLES.has(w) && at(tokens, i + 1) === 'by')) &&
    !FIELD_WORDS.has(at(tokens, i + 2))
  )
    return i + 2;
  if (
    copula &&
    /^(grouped|organized|organised|sorted|filed|categorized|categorised|kept)$/.test(at(tokens, i + 1)) &&
    /^(into|in|by|under)$/.test(at(tokens, i + 2))
  )
    return i + 3;
  return -1;
}

/** Units and generic people: "per day", "per person" never name an entity of their own. */
const PER_UNITS = new Set(
  'person people head user day week month year hour night minute time visit'.split(' '),
);

/** "each task belongs to a project", "projects have many tasks", "assign tasks to members", "by category". */
export function readRelations(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, i) => {
    const w = t.w;
    const parentAt = parentIndex(tokens, i);
    if (parentAt > 0) {
      ctx.use(si, i, parentAt - 1);
      const parent = phraseStartingAt(tokens, parentAt);
      const to = parent ? ctx.entity(si, parent) : undefined;
      if (to)
        ctx.facts.push({
          kind: 'link',
          from: subjectBefore(ctx, si, tokens, i),
          to: named(to),
          how: 'single',
        });
      return;
    }
    if (/^(has|have|contain|contains|include|includes|hold|holds|get|gets|receive|receives)$/.test(w)) {
      readHave(ctx, si, tokens, i);
      return;
    }
    if (w === 'assign' || w === 'assigns') {
      const object = phraseStartingAt(tokens, i + 1);
      const toIndex = object ? tokens.findIndex((x, k) => k > object.end && x.w === 'to') : -1;
      const target = toIndex > 0 ? phraseStartingAt(tokens, toIndex + 1) : undefined;
      const from = object ? ctx.entity(si, object) : undefined;
      const to = target ? ctx.entity(si, target) : undefined;
      if (from && to) ctx.facts.push({ kind: 'link', from: named(from), to: named(to), how: 'single' });
      return;
    }
    if (w === 'by' || w === 'per' || w === 'each' || w === 'every') readQualifier(ctx, si, tokens, i);
  });
}

/**
 * "projects have many tasks", "clients have workout sessions", "every animal gets vaccines": the
 * records had belong to the haver; people had are the haver's people.
 */
function readHave(ctx: ReaderContext, si: number, tokens: Sentence, i: number): void {
  const q = quantifiedAt(tokens, i + 1);
  const bare = q < 0 ? phraseStartingAt(tokens, i + 1) : undefined;
  // without a quantifier only a plural record noun is had ("clients have workout sessions with …")
  if (q < 0 && !isRecordPhrase(tokens, bare)) return;
  const child = q > 0 ? phraseStartingAt(tokens, q) : bare;
  const childName = child ? ctx.entity(si, child) : undefined;
  if (!child || !childName) return;
  const owner = subjectBefore(ctx, si, tokens, i);
  if (q < 0 && owner.kind !== 'entity') return;
  if (PERSON_NOUNS.has(child.words[child.words.length - 1] ?? '')) {
    ctx.facts.push({ kind: 'link', from: owner, to: named(childName), how: 'people' });
  } else if (owner.kind === 'entity') {
    ctx.facts.push({ kind: 'link', from: named(childName), to: owner, how: 'parent' });
  }
}

/** Words that put a qualifier after a noun: "readings for each bed". */
const QUALIFIER_PREPOSITIONS = /^(for|in|on|of|from|at|to)$/;

/** Start of a chain of "per X" / "for each X" qualifiers ending at i: they all qualify one subject. */
export function qualifierChainStart(tokens: Sentence, i: number): number {
  let start = i;
  for (;;) {
    const q = at(tokens, start - 2);
    if (q === 'per') start -= 2;
    else if ((q === 'each' || q === 'every') && QUALIFIER_PREPOSITIONS.test(at(tokens, start - 3)))
      start -= 3;
    else return start;
  }
}

/**
 * "by category", "grades per student per subject", "soil moisture for each bed": the thing qualified
 * (the clause's entity before the chain of qualifiers) points at the qualifier's entity.
 */
function readQualifier(ctx: ReaderContext, si: number, tokens: Sentence, i: number): void {
  const w = at(tokens, i);
  const phrase = phraseStartingAt(tokens, i + 1);
  const head = phrase ? tokens[phrase.end] : undefined;
  if (!phrase || !head || FIELD_WORDS.has(head.s) || ctx.isUsed(si, phrase.end)) return;
  // "each student's class" is a possessive, read by link-clauses.ts; no "student class" compound
  if (tokens.slice(i + 1, phrase.end).some((t) => t.poss)) return;
  const each = w === 'each' || w === 'every';
  if (each && looksPlural(head.w)) return;
  if (w === 'per' && PER_UNITS.has(head.s)) return;
  // "each bed" after a preposition qualifies what came before; "each task has …" starts a clause
  const qualifies = w === 'by' || w === 'per' || (each && QUALIFIER_PREPOSITIONS.test(at(tokens, i - 1)));
  if (each && !qualifies && PER_UNITS.has(head.s)) return;
  const to = ctx.entity(si, phrase);
  if (!to || !qualifies) return;
  // "fish in each tank" links; "notes from each interview" only says whose notes they are
  if (each && !isRecordPhrase(tokens, ctx.phraseEnding(si, tokens, i - 2))) return;
  const pos = w === 'by' ? i : qualifierChainStart(tokens, each ? i - 1 : i);
  // "grades per student": the thing qualified is a record; "scores per player" is a value
  const qualified = tokens[pos - 1];
  if (
    w === 'per' &&
    (!isEntityHead(qualified) || FIELD_WORDS.has(qualified.w) || FIELD_WORDS.has(qualified.s))
  )
    return;
  ctx.facts.push({
    kind: 'link',
    from: { kind: 'context', sentence: si, pos },
    to: named(to),
    how: 'single',
  });
}

/** Records that are themselves what booking makes: booking one makes no Booking beside it. */
const SELF_RECORDING_OBJECTS = new Set(['Appointment', 'Reservation', 'Booking', 'Visit', 'Consultation']);

/** "users rate dishes", "members borrow books", "customers … vote on them". */
export function readVerbs(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, i) => {
    // "volunteers sign up for shifts": a phrasal verb names its record by both words
    const phrasal = PHRASAL_VERB_ENTITIES[`${t.w} ${at(tokens, i + 1)}`];
    const entityName = phrasal?.entity ?? VERB_ENTITIES[t.w];
    const prev = tokens[i - 1];
    if (!entityName || ctx.isUsed(si, i)) return;
    const personal = isPersonalVerb(tokens, i);
    if (!prev && !personal) return;
    const subjectIsNoun =
      prev !== undefined && (isPluralNoun(tokens, i - 1) || prev.w === 'users' || prev.w === 'people');
    if (prev && !VERB_SUBJECTS.has(prev.w) && !subjectIsNoun) return;
    let o = i + (phrasal ? 2 : 1);
    while (OBJECT_PREPOSITIONS.has(at(tokens, o))) o++;
    const objectPhrase = PRONOUNS.has(at(tokens, o)) ? undefined : phraseStartingAt(tokens, o);
    // a phrasal verb's object is records ("sign up for shifts"), not a place ("check in at the desk")
    const object =
      objectPhrase &&
      !FIELD_WORDS.has(at(tokens, objectPhrase.end)) &&
      (!phrasal || isRecordPhrase(tokens, objectPhrase))
        ? ctx.entity(si, objectPhrase)
        : undefined;
    if (personal && t.w === 'rate') {
      // "I rate films", "rate dishes 1 to 5": one rating on the thing, no Rating records
      ctx.use(si, i, i);
      const on: Subject = object ? named(object) : { kind: 'context', sentence: si, pos: i };
      ctx.addField(on, { words: ['rating'] }, false);
      return;
    }
    if (!prev) return;
    // "users sign up and log in" is an account, not a record: a phrasal verb needs its object
    if (phrasal?.needsObject && !object) return;
    // "patients book appointments": the appointment is the booking; it belongs to whoever books it
    if (object && SELF_RECORDING_OBJECTS.has(object) && entityName === 'Booking') {
      ctx.use(si, i, i);
      const agent = subjectIsNoun ? agentBefore(ctx, si, tokens, i) : undefined;
      if (agent) ctx.facts.push({ kind: 'link', from: named(object), to: named(agent), how: 'single' });
      return;
    }
    ctx.facts.push({ kind: 'entity', name: entityName, sentence: si, pos: i });
    ctx.use(si, i, i);
    const parent: Subject | undefined = object
      ? named(object)
      : PRONOUNS.has(at(tokens, o))
        ? // "users submit ideas, other users upvote them": "them" is named before the verb's subject
          { kind: 'context', sentence: si, pos: subjectIsNoun ? i - 1 : i }
        : undefined;
    if (parent) ctx.facts.push({ kind: 'link', from: named(entityName), to: parent, how: 'parent' });
    const agent = subjectIsNoun ? agentBefore(ctx, si, tokens, i) : undefined;
    if (agent) ctx.facts.push({ kind: 'link', from: named(entityName), to: named(agent), how: 'single' });
  });
}

/**
 * The people doing a verb at i: "members" in "members borrow books", "users" in "other users upvote
 * them" — users who act on records are records themselves.
 */
function agentBefore(ctx: ReaderContext, si: number, tokens: Sentence, i: number): string | undefined {
  const prev = tokens[i - 1];
  if (!prev) return undefined;
  if (prev.w === 'users') return ctx.entity(si, { start: i - 1, end: i - 1, words: ['user'] });
  if (!isEntityHead(prev) || !PERSON_NOUNS.has(prev.s)) return undefined;
  return ctx.entity(si, { start: i - 1, end: i - 1, words: [prev.s] });
}

/** Verbs of taking part: "colleagues join rides", "members attend events". */
const JOIN_VERBS = new Set('join joins attend attends'.split(' '));

/** "colleagues join rides": the thing joined holds its many participants (many-to-many). */
export function readJoinVerbs(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, i) => {
    if (!JOIN_VERBS.has(t.w) || ctx.isUsed(si, i)) return;
    const subject = ctx.phraseEnding(si, tokens, i - 1);
    if (!subject || !isRecordPhrase(tokens, subject)) return;
    const object = phraseStartingAt(tokens, i + 1);
    if (!isRecordPhrase(tokens, object)) return;
    const joiner = ctx.entity(si, subject);
    const joined = ctx.entity(si, object);
    // 'people' is the many-to-many link: joined.<joiners> references
    if (joiner && joined)
      ctx.facts.push({ kind: 'link', from: named(joined), to: named(joiner), how: 'people' });
  });
}

/** "authors publish articles", "customers place orders": the thing made points at its maker. */
export function readAgentVerbs(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, i) => {
    const role = ROLE_VERBS[t.w];
    if ((!AGENT_VERBS.has(t.w) && !role) || ctx.isUsed(si, i)) return;
    const prev = tokens[i - 1];
    if (!prev) return;
    const isUsers = prev.w === 'users';
    if (!isUsers && (!isEntityHead(prev) || FIELD_WORDS.has(prev.w))) return;
    const agentLike = isUsers || PERSON_NOUNS.has(prev.s) || catalogNameFor([prev.s]) !== undefined;
    if (!agentLike || (!isPluralNoun(tokens, i - 1) && !isUsers && !ITEM_FILLERS.has(at(tokens, i - 2))))
      return;
    const objectPhrase = phraseStartingAt(tokens, i + 1);
    const head = objectPhrase ? tokens[objectPhrase.end] : undefined;
    if (!objectPhrase || !head || FIELD_WORDS.has(head.w) || PRONOUNS.has(head.w)) return;
    const object = ctx.entity(si, objectPhrase);
    const agent = ctx.entity(si, { start: i - 1, end: i - 1, words: [isUsers ? 'user' : prev.s] });
    if (!object || !agent) return;
    if (role) {
      // "members suggest movies": the movie's field says what the member did (suggestedBy)
      const link: RoleLink = { kind: 'link', from: named(object), to: named(agent), how: 'single', role };
      ctx.facts.push(link);
    } else
      ctx.facts.push({ kind: 'link', from: named(object), to: named(agent), how: 'single' } satisfies Fact);
  });
}

/** All verb-told links of one sentence, most specific first. */
export function readRelationClauses(ctx: ReaderContext, si: number, tokens: Sentence): void {
  readRelations(ctx, si, tokens);
  readVerbs(ctx, si, tokens);
  readAgentVerbs(ctx, si, tokens);
  readJoinVerbs(ctx, si, tokens);
}
