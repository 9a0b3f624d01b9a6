/**
 * The things a person keeps track of, read from the grammar of the sentence rather than from word
 * lists: the head nouns of what is tracked, logged or rated ("log every hike"), the two sides of
 * "which kid has which book", the owner in "each visit's checklist", the things kept "in each tank",
 * and every noun listed beside things already known ("boards, columns, cards"). Runs after the other
 * readers; it reads words none of them used, and the strong readings (a possessive owner, a thing
 * "in each" other thing, a person in a detail list) also words another rule read as a field.
 */
import { looksPlural } from './inflect.js';
import { PERSON_NOUNS } from './catalog.js';
import { readEventRecords } from './entity-events.js';
import { FIELD_WORDS, inferFieldType, isParticiple, NON_THING_WORDS, TOPIC_ONLY_WORDS } from './lexicon.js';
import { isEntityHead, isNounish } from './phrases.js';
import type { SentenceTags } from './pos-tags.js';
import { named, type ReaderContext } from './reader-context.js';
import { ITEM_FILLERS, type Sentence, type Token } from './text.js';
import { verbLemmas } from './scope-activity.js';

/** Verbs whose object is a record the app keeps. */
const KEEPING_VERBS = new Set(
  'track log record manage list rate book catalog catalogue collect organize organise store save keep schedule'.split(
    ' ',
  ),
);

/** Words that name the collection (the app), never a thing in it. */
export const COLLECTION_WORDS = new Set(
  'collection library log tracker box list checklist catalog catalogue inventory database register roster'.split(
    ' ',
  ),
);

/** Nouns that still are no things to store when listed: spans of time, screens and generic talk. */
const NOT_LISTABLE = new Set(
  `day days week weeks month months year years hour hours minute minutes second seconds time times
  thing things stuff way ways feature features option options setting settings detail details info
  field fields etc monday mondays tuesday tuesdays wednesday wednesdays thursday thursdays friday fridays
  saturday saturdays sunday sundays weekend weekends charts graphs reports dashboards pages screens views
  buttons stats statistics insights summaries analytics notifications reminders alerts filters exports`
    .split(/\s+/)
    .filter(Boolean),
);

const EACH = new Set(['each', 'every', 'per']);
/** Words before a bare verb that make it one: "to log", "I rate", "and track". */
const VERB_CUES = new Set(['to', 'i', 'we', 'can', 'and', 'also', 'please', 'just', 'me', 'us']);
const LIST_MARKS = new Set([',', ':']);
const LIST_ENDS = new Set([',', 'and']);
const ARTICLES = new Set(['a', 'an', 'the', 'each', 'every', 'one']);
const LOCATING = new Set(['in', 'on', 'at', 'for', 'per', 'inside']);

/** Which tokens the tagger reads as nouns and as verbs here; punctuation tokens get neither. */
function partsOfSpeech(tags: SentenceTags): { noun: boolean[]; verb: boolean[] } {
  return {
    noun: tags.map((t) => t.has('Noun') && !t.has('Pronoun')),
    verb: tags.map((t) => t.has('Verb')),
  };
}

/** A word that can be a thing to store, as the grammar and the tagger agree. */
function isThing(t: Token | undefined, isNoun: boolean): t is Token {
  if (!isEntityHead(t) || !isNoun) return false;
  if (FIELD_WORDS.has(t.w) || FIELD_WORDS.has(t.s) || COLLECTION_WORDS.has(t.s) || NON_THING_WORDS.has(t.s))
    return false;
  // a measure, a date, an amount or a flag ("moisture", "deadline", "price") is a field, not a thing
  return inferFieldType([t.s]).type === 'string';
}

/** A plain lower-case word, whatever list holds it. */
const isNounWord = (t: Token): boolean => /^[a-z]{3,}$/.test(t.w);

class ThingReader {
  private readonly pos: { noun: boolean[]; verb: boolean[] };

  constructor(
    private readonly ctx: ReaderContext,
    private readonly si: number,
    private readonly tokens: Sentence,
    private readonly tags: SentenceTags,
  ) {
    this.pos = partsOfSpeech(tags);
  }

  read(): void {
    this.tokens.forEach((t, i) => {
      if (t.w === 'which') this.readWhich(i);
      else if (t.poss) this.readPossessive(i);
      else if (this.isKeepingVerb(i)) this.readObject(i + 1);
      else if (LOCATING.has(t.w) && EACH.has(this.tokens[i + 1]?.w ?? '')) this.readLocated(i);
      else if (PERSON_NOUNS.has(t.s) && !looksPlural(t.w)) this.readPerson(i);
      else if (looksPlural(t.w) && this.tokens[i + 2]?.w === 'by') this.readPassive(i);
    });
    this.readListedBeside();
    readEventRecords(this.ctx, this.si, this.tokens, this.tags);
  }

  /** Words taken back from another rule's field: free to name an entity again. */
  private readonly forceFree = new Set<number>();

  private free(i: number): boolean {
    return this.forceFree.has(i) || !this.ctx.isUsed(this.si, i);
  }

  /** Records the phrase as an entity; `strong` readings win over a field another rule read there. */
  private add(
    i: number,
    phrase = this.ctx.phraseEnding(this.si, this.tokens, i),
    strong = false,
  ): string | undefined {
    if (!phrase || (!strong && !this.free(phrase.end))) return undefined;
    if (strong && this.isEntityAt(phrase.end)) return undefined;
    return this.ctx.entity(this.si, phrase);
  }

  private isEntityAt(i: number): boolean {
    return this.ctx.facts.some((f) => f.kind === 'entity' && f.sentence === this.si && f.pos === i);
  }

  /** The last noun of the run starting at i, after articles: "log every water test" → test. */
  private headFrom(i: number): number | undefined {
    let j = i;
    while (
      ITEM_FILLERS.has(this.tokens[j]?.w ?? '') ||
      EACH.has(this.tokens[j]?.w ?? '') ||
      this.tokens[j]?.w === 'of'
    )
      j++;
    if (!isNounish(this.tokens[j])) return undefined;
    while (isNounish(this.tokens[j + 1]) && this.pos.noun[j + 1] && !this.tokens[j]?.poss) j++;
    return j;
  }

  /** "track which kid has which book": each side of the question is a thing kept. */
  private readWhich(i: number): void {
    const head = this.headFrom(i + 1);
    if (head === undefined || head > i + 2) return;
    const otherWhich = this.tokens.some((t, k) => k !== i && t.w === 'which' && Math.abs(k - i) <= 6);
    if (otherWhich && isThing(this.tokens[head], this.pos.noun[head] ?? false)) this.add(head);
  }

  /** "each visit's checklist": the owner of a thing is a thing too. */
  private readPossessive(i: number): void {
    const t = this.tokens[i];
    if (!isNounish(this.tokens[i + 1]) || !isThing(t, this.pos.noun[i] ?? false)) return;
    this.add(i, { start: i, end: i, words: [t.s] }, true);
  }

  /** A keeping verb as the tagger reads it, or where only a verb can stand ("track the cheese …"). */
  private isKeepingVerb(i: number): boolean {
    const t = this.tokens[i];
    if (!t || !verbLemmas(t.w).some((lemma) => KEEPING_VERBS.has(lemma))) return false;
    return (this.pos.verb[i] ?? false) || i === 0 || VERB_CUES.has(this.tokens[i - 1]?.w ?? '');
  }

  /** "log every hike", "keep track of each dog", "rate every ramen shop": the object's head noun. */
  private readObject(from: number): void {
    const start = this.tokens[from]?.w === 'track' && this.tokens[from + 1]?.w === 'of' ? from + 2 : from;
    const head = this.headFrom(start);
    const t = head === undefined ? undefined : this.tokens[head];
    if (head === undefined || !t) return;
    const isNoun = this.pos.noun[head] ?? false;
    if (isThing(this.tokens[head], isNoun)) {
      if (!this.free(head) && this.namesNothingElse()) this.retakeField(head);
      this.add(head);
      return;
    }
    // a place or business the person rates or logs is the thing kept, though it usually sets the scene
    if (!isNoun || !isNounish(t) || !TOPIC_ONLY_WORDS.has(t.s)) return;
    const modifier = this.tokens[head - 1];
    const compound = head > start && isNounish(modifier) && (this.pos.noun[head - 1] ?? false);
    const phrase = compound
      ? { start: head - 1, end: head, words: [modifier.w, t.s] }
      : { start: head, end: head, words: [t.s] };
    this.add(head, phrase);
  }

  /**
   * "track the cheese I've tasted", "log my sleep": when the object is all the prompt names, it is
   * the thing kept, not a detail of a placeholder record another rule read it as.
   */
  private namesNothingElse(): boolean {
    if (this.ctx.facts.some((f) => f.kind === 'entity')) return false;
    return !this.ctx.sentences.some((tokens, si) =>
      tokens.some((t, k) => si > this.si && looksPlural(t.w) && isEntityHead(t) && isNounish(tokens[k])),
    );
  }

  /** Takes back the field another rule read from the word at i, so the word can name the entity. */
  private retakeField(i: number): void {
    const t = this.tokens[i];
    const at = this.ctx.facts.findIndex(
      (f) =>
        f.kind === 'field' &&
        f.subject.kind === 'context' &&
        f.subject.sentence === this.si &&
        f.item.words.length === 1 &&
        f.item.words[0] === t?.w,
    );
    if (at >= 0) this.ctx.facts.splice(at, 1);
    this.forceFree.add(i);
  }

  /**
   * "every time a driver fills up a truck", "job cards: customer, bike model, …": a person named
   * doing something, or listed alone among a record's details, is someone to keep.
   */
  private readPerson(i: number): void {
    const t = this.tokens[i];
    const next = i + 1;
    const acts = (this.pos.verb[next] ?? false) && !(this.pos.noun[next] ?? false);
    const acting = ARTICLES.has(this.tokens[i - 1]?.w ?? '') && acts;
    const listed =
      LIST_MARKS.has(this.tokens[i - 1]?.w ?? '') &&
      LIST_ENDS.has(this.tokens[next]?.w ?? '') &&
      !this.inParentheses(i);
    if (!t || !(acting || listed) || !isThing(t, this.pos.noun[i] ?? false)) return;
    this.add(i, { start: i, end: i, words: [t.s] }, listed);
  }

  /** "plots rented by members", "books borrowed by students": what is acted on is a thing kept. */
  private readPassive(i: number): void {
    const t = this.tokens[i];
    const participle = this.tokens[i + 1]?.w ?? '';
    if (!isParticiple(participle) || !(this.pos.verb[i + 1] ?? false)) return;
    if (isThing(t, this.pos.noun[i] ?? false)) this.add(i, { start: i, end: i, words: [t.s] }, true);
  }

  /** Inside "( … )": values of a field ("stage (lead, qualified, …)"), not things. */
  private inParentheses(i: number): boolean {
    const open = this.tokens
      .slice(0, i)
      .map((t) => t.w)
      .lastIndexOf('(');
    return open >= 0 && !this.tokens.slice(open, i).some((t) => t.w === ')');
  }

  /** "fish in each tank", "a checklist per room": a thing kept per another thing the prompt names. */
  private readLocated(i: number): void {
    const before = i - 1;
    const t = this.tokens[before];
    const owner = this.headFrom(i + 1);
    const ownerToken = owner === undefined ? undefined : this.tokens[owner];
    if (!ownerToken || !this.isKnownThing(ownerToken)) return;
    // the tagger reads "fish" as a verb; after "and" or a comma it is the next thing listed
    const listed = [',', 'and'].includes(this.tokens[before - 1]?.w ?? '');
    if (!isThing(t, (this.pos.noun[before] ?? false) || listed) || looksPlural(t.w)) return;
    const name = this.add(before, { start: before, end: before, words: [t.s] }, true);
    const ownerName = this.knownName(ownerToken);
    if (name && ownerName && name !== ownerName)
      this.ctx.facts.push({ kind: 'link', from: named(name), to: named(ownerName), how: 'parent' });
  }

  /** The entity a word names among the entities read so far ("tank" → Tank, "class" → GymClass). */
  private knownName(t: Token): string | undefined {
    const fact = this.ctx.facts.find((f) => f.kind === 'entity' && f.name.toLowerCase().endsWith(t.s));
    return fact?.kind === 'entity' ? fact.name : undefined;
  }

  private isKnownThing(t: Token): boolean {
    return this.knownName(t) !== undefined;
  }

  /**
   * "kanban board with boards, columns, cards": a plural noun listed beside a known thing is a
   * thing too, even one the word lists hold for app talk.
   */
  private readListedBeside(): void {
    const items = this.bareListItems();
    for (const run of items) {
      const known = run.filter((i) => {
        const t = this.tokens[i];
        return t !== undefined && !this.free(i) && this.isKnownThing(t);
      }).length;
      if (known < 1) continue;
      for (const i of run) {
        const t = this.tokens[i];
        if (!t || !looksPlural(t.w) || !(this.pos.noun[i] ?? false) || !isNounWord(t)) continue;
        if (NOT_LISTABLE.has(t.w) || NON_THING_WORDS.has(t.w) || FIELD_WORDS.has(t.w)) continue;
        // a word the app-talk lists hold ("boards", "columns") is a thing when listed among things
        this.add(i, { start: i, end: i, words: [t.s] }, !isEntityHead(t));
      }
    }
  }

  /** Runs of one-word items separated by commas or "and": the index of each item's word. */
  private bareListItems(): number[][] {
    const runs: number[][] = [];
    let run: number[] = [];
    const flush = (): void => {
      if (run.length >= 3) runs.push(run);
      run = [];
    };
    this.tokens.forEach((t, i) => {
      const word = /^[a-z][a-z0-9]*$/.test(t.w);
      const prev = this.tokens[i - 1]?.w ?? '';
      const next = this.tokens[i + 1]?.w ?? '';
      const separatedBefore = run.length === 0 || prev === ',' || prev === 'and';
      const separatedAfter =
        next === '' || next === ',' || next === 'and' || !/^[a-z]/.test(next) || next === 'with';
      if (word && separatedBefore && separatedAfter && !ITEM_FILLERS.has(t.w)) run.push(i);
      else if (t.w !== ',' && t.w !== 'and') flush();
    });
    flush();
    return runs;
  }
}

/** Reads the things kept that the looser rules leave: see the module comment. */
export function readKeptThings(ctx: ReaderContext, si: number, tokens: Sentence, tags: SentenceTags): void {
  new ThingReader(ctx, si, tokens, tags).read();
}
