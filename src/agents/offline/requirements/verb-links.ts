/**
 * Links between two things the prompt names, told by what stands between them in one clause, read
 * from part-of-speech tags rather than verb lists: "routes get set on walls", "teams owned by
 * managers", "each meeting is about one book", "members log ascents", "fish in each tank". It runs
 * once every sentence is read, so it knows every entity, and adds a link only where none was read.
 */
import type { Fact } from './facts.js';
import type { PosTag, SentenceTags } from './pos-tags.js';
import { named, type ReaderContext } from './reader-context.js';
import { ITEM_FILLERS, type Sentence } from './text.js';

interface Mention {
  name: string;
  start: number;
  end: number;
}

/** Prepositions that put one thing inside, on or with another: "desks in zones", "contacts at companies". */
const PLACING = new Set('in on at inside within under with about for from'.split(' '));
const PASSIVE_AUXILIARIES = new Set('get gets got is are was were be been'.split(' '));
const MAX_GAP = 5;

const has = (
  tags: SentenceTags,
  k: number,
  tag: 'Verb' | 'PastTense' | 'Copula' | 'Noun' | 'Gerund',
): boolean => tags[k]?.has(tag) ?? false;

/** Names of the entities mentioned in a sentence, by the tokens that name them. */
function mentionsIn(ctx: ReaderContext, si: number, tokens: Sentence, known: ReadonlySet<string>): Mention[] {
  const mentions: Mention[] = [];
  tokens.forEach((_, i) => {
    const phrase = ctx.phraseEnding(si, tokens, i);
    const name = phrase ? ctx.nameOf(phrase) : undefined;
    if (!phrase || !name || !known.has(name)) return;
    const last = mentions[mentions.length - 1];
    // "stock movement": the two-word phrase replaces the one-word mention it starts with
    if (last && last.end >= phrase.start) mentions.pop();
    mentions.push({ name, start: phrase.start, end: phrase.end });
  });
  return mentions;
}

/** What the words between two mentions say about them, if they make one clause. */
function relation(
  tokens: Sentence,
  tags: SentenceTags,
  a: Mention,
  b: Mention,
): 'a-has-b' | 'b-has-a' | undefined {
  const gap: number[] = [];
  for (let k = a.end + 1; k < b.start; k++) gap.push(k);
  if (gap.length === 0 || gap.length > MAX_GAP) return undefined;
  const words = gap.map((k) => tokens[k]?.w ?? '');
  // a list or a new clause between them: "vans, drivers", "bikes and the riders who …"
  if (
    words.some(
      (w) =>
        /^[^a-z0-9]/.test(w) ||
        ['and', 'or', 'but', 'who', 'which', 'that', 'where', 'when', 'if'].includes(w),
    )
  )
    return undefined;
  // after "get" or "be" a word is a participle, whatever the tagger took it for ("get set on")
  const participle = (k: number): boolean =>
    k > a.end + 1 &&
    PASSIVE_AUXILIARIES.has(tokens[k - 1]?.w ?? '') &&
    !PLACING.has(tokens[k]?.w ?? '') &&
    !['Preposition', 'Determiner', 'Value', 'Adverb'].some((t) => tags[k]?.has(t as PosTag));
  if (
    gap.some(
      (k) => has(tags, k, 'Noun') && !tags[k]?.has('Pronoun') && !has(tags, k, 'Verb') && !participle(k),
    )
  )
    return undefined;
  const verbs = gap.filter((k) => (has(tags, k, 'Verb') && !has(tags, k, 'Gerund')) || participle(k));
  // "about one", "in each": the preposition before the object's determiner
  const bare = words.filter((w, j) => !ITEM_FILLERS.has(w) && !tags[gap[j] ?? -1]?.has('Value'));
  const last = bare[bare.length - 1] ?? '';
  // "owned by", "get set on": a participle, or a verb after "get"/"be", ending in a preposition
  const done = verbs.some((k) => has(tags, k, 'PastTense')) || words.some((w) => PASSIVE_AUXILIARIES.has(w));
  const passive = verbs.length > 0 && done && (PLACING.has(last) || last === 'by' || last === 'to');
  const copula = verbs.length > 0 && verbs.every((k) => has(tags, k, 'Copula'));
  // "teams owned by managers", "walks assigned to a walker", "a meeting is about one book", "fish in each tank"
  if (
    passive ||
    (copula && PLACING.has(words.find((w) => PLACING.has(w)) ?? '')) ||
    (verbs.length === 0 && PLACING.has(words[0] ?? ''))
  )
    return 'a-has-b';
  // "members log ascents": the record names who made it
  const active = verbs.length > 0 && !copula && verbs.every((k) => !has(tags, k, 'PastTense'));
  if (active && !PLACING.has(words[0] ?? '')) return 'b-has-a';
  return undefined;
}

function linked(facts: readonly Fact[], a: string, b: string): boolean {
  return facts.some((f) => {
    if (f.kind !== 'link' || f.from.kind !== 'entity' || f.to.kind !== 'entity') return false;
    return (f.from.name === a && f.to.name === b) || (f.from.name === b && f.to.name === a);
  });
}

function recordBetween(facts: readonly Fact[], si: number, a: Mention, b: Mention): boolean {
  return facts.some((f) => f.kind === 'entity' && f.sentence === si && f.pos > a.end && f.pos < b.start);
}

/** The mention is the object of a preposition ("by a speaker"): it heads no clause of its own. */
function objectOfPreposition(tokens: Sentence, tags: SentenceTags, m: Mention): boolean {
  let k = m.start - 1;
  while (k >= 0 && (ITEM_FILLERS.has(tokens[k]?.w ?? '') || tags[k]?.has('Determiner'))) k--;
  const w = tokens[k]?.w ?? '';
  return w === 'by' || PLACING.has(w) || (tags[k]?.has('Preposition') ?? false);
}

/** Links every pair of neighbouring mentions whose words between them say how they relate. */
export function readVerbLinks(ctx: ReaderContext, tagsOf: (si: number) => SentenceTags): void {
  const known = new Set(ctx.facts.flatMap((f) => (f.kind === 'entity' && !f.topic ? [f.name] : [])));
  ctx.sentences.forEach((tokens, si) => {
    const tags = tagsOf(si);
    const mentions = mentionsIn(ctx, si, tokens, known);
    for (let m = 1; m < mentions.length; m++) {
      const [a, b] = [mentions[m - 1], mentions[m]];
      if (!a || !b || a.name === b.name || linked(ctx.facts, a.name, b.name)) continue;
      // "members borrow books": the verb already made a record (Loan) that joins the two
      if (recordBetween(ctx.facts, si, a, b)) continue;
      const how = relation(tokens, tags, a, b);
      // "given by a speaker in a room": the place is the talk's, not the speaker's
      const owner = how === 'a-has-b' && objectOfPreposition(tokens, tags, a) ? mentions[m - 2] : a;
      if (how === 'a-has-b' && owner && owner.name !== b.name)
        ctx.facts.push({ kind: 'link', from: named(owner.name), to: named(b.name), how: 'single' });
      if (how === 'b-has-a')
        ctx.facts.push({ kind: 'link', from: named(b.name), to: named(a.name), how: 'single' });
    }
  });
}
