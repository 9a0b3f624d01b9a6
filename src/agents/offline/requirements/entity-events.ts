/**
 * Records named by what happens rather than by a noun: "the winner gets screened on a date" keeps
 * screenings, "the books my students read" keeps readings, "each film gets 1 to 10 points from each
 * of us" keeps ratings. The record is the verb's -ing noun; the things it joins stay entities of
 * their own.
 */
import { PERSON_NOUNS } from './catalog.js';
import { looksPlural } from './inflect.js';
import type { SentenceTags } from './pos-tags.js';
import type { ReaderContext } from './reader-context.js';
import type { Sentence, Token } from './text.js';

/** Verbs that say nothing about an event of their own ("the books we have"). */
const EMPTY_VERBS = new Set(
  'be is are was were am have has had do does did get gets got make makes made want wants need needs like likes love loves own owns use uses go goes went'.split(
    ' ',
  ),
);
const GETS = new Set(['get', 'gets', 'is', 'are', 'got']);
const WHEN = new Set(['on', 'at']);
const TIME_WORDS = new Set(['date', 'day', 'time', 'datetime', 'evening', 'night', 'weekend']);
const SCORE_WORDS = new Set(['points', 'stars', 'score', 'marks']);
const OWNERS = new Set(['my', 'our', 'the', 'their', 'your']);

/** "screened" → screening, "practise" → practising, "read" → reading: the event a verb names. */
export function eventNounOf(verb: string): string {
  const stem = /[a-z]{3,}ed$/.test(verb) ? verb.slice(0, -2) : verb.replace(/([^e])e$/, '$1');
  return `${stem}ing`;
}

const isVerb = (tags: SentenceTags, i: number): boolean => tags[i]?.has('Verb') ?? false;
const word = (t: Token | undefined): string => t?.w ?? '';

class EventReader {
  constructor(
    private readonly ctx: ReaderContext,
    private readonly si: number,
    private readonly tokens: Sentence,
    private readonly tags: SentenceTags,
  ) {}

  read(): void {
    this.tokens.forEach((t, i) => {
      if (GETS.has(t.w)) this.readDatedEvent(i);
      if (SCORE_WORDS.has(t.w)) this.readScore(i);
      if (looksPlural(t.w) && OWNERS.has(word(this.tokens[i + 1]))) this.readDoneTo(i, i + 2);
    });
  }

  /** Records the event; `over` lets it stand beside a field another rule read at the same word. */
  private record(name: string, at: number, over = false): void {
    if (!over && this.ctx.isUsed(this.si, at)) return;
    this.ctx.entity(this.si, { start: at, end: at, words: [name] });
  }

  /** "the winner gets screened on a date": a dated happening is a record of its own. */
  private readDatedEvent(i: number): void {
    const verb = this.tokens[i + 1];
    if (!verb || !/^[a-z]{4,}ed$/.test(verb.w) || !isVerb(this.tags, i + 1)) return;
    if (!WHEN.has(word(this.tokens[i + 2]))) return;
    let j = i + 3;
    while (['a', 'an', 'the', 'which', 'what'].includes(word(this.tokens[j]))) j++;
    if (TIME_WORDS.has(this.tokens[j]?.s ?? '')) this.record(eventNounOf(verb.w), i + 1);
  }

  /** "each film gets 1 to 10 points from each of us": a score given by people is a rating. */
  private readScore(i: number): void {
    const given = /^\d/.test(word(this.tokens[i - 1])) && word(this.tokens[i + 1]) === 'from';
    if (given) this.record('rating', i, true);
  }

  /** "the books my students read": a thing people do something to is kept through that act. */
  private readDoneTo(thing: number, from: number): void {
    const subject = this.tokens[from];
    // a named group of people ("my students"), not a pronoun: "the shoes I wore" is a detail of a run
    const isPeople = subject !== undefined && PERSON_NOUNS.has(subject.s) && looksPlural(subject.w);
    const v = from + 1;
    const verb = this.tokens[v];
    if (!isPeople || !verb || EMPTY_VERBS.has(verb.w) || !isVerb(this.tags, v)) return;
    if (!(this.tags[thing]?.has('Noun') ?? false)) return;
    this.record(eventNounOf(verb.w), v);
  }
}

/** Reads the event records a sentence names through its verbs; see the module comment. */
export function readEventRecords(ctx: ReaderContext, si: number, tokens: Sentence, tags: SentenceTags): void {
  new EventReader(ctx, si, tokens, tags).read();
}
