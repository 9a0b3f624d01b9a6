/**
 * The prompt grammar: reads sentences of tokens into facts (entities, fields, enums, links).
 * Rules run from the most specific (parenthesised lists) to the loosest (any plural noun), and
 * tokens a rule has used are not read again by looser rules. The topic, value and list readers live
 * in their own modules, as do relation and verb clauses (relation-clauses.ts, link-clauses.ts).
 */
import type { Fact, FieldItem, Subject } from './facts.js';
import { inferFieldType, TAG_WORDS } from './lexicon.js';
import { readKeptThings } from './entity-reading.js';
import { readLinkClauses } from './link-clauses.js';
import { readNounPhraseLists } from './np-fields.js';
import { lazySentenceTags, type SentenceTags } from './pos-tags.js';
import { readColonLists, readLists, readMeasureLists, readRecordLists } from './list-reading.js';
import { entityNameFor, isPluralNoun, phraseEndingAt, type Phrase } from './phrases.js';
import type { ReaderContext } from './reader-context.js';
import { readRelationClauses } from './relation-clauses.js';
import { readVerbLinks } from './verb-links.js';
import type { Sentence } from './text.js';
import { readTopic } from './topic-reading.js';
import { readEnums, readParentheses, readValues } from './value-reading.js';

export interface Reading {
  facts: Fact[];
  /** Words naming the app's subject, before the app word ("recipe" in "recipe app"). */
  topicWords: string[];
  appWord?: string;
}

const named = (name: string): Subject => ({ kind: 'entity', name });

class PromptReader implements ReaderContext {
  readonly facts: Fact[] = [];
  readonly topicWords: string[] = [];
  private readonly compounds = new Map<string, string>();
  private readonly used: boolean[][];

  private readonly mentioned: ReadonlySet<string>;

  constructor(readonly sentences: readonly Sentence[]) {
    this.used = sentences.map((s) => s.map(() => false));
    this.mentioned = new Set(sentences.flat().map((t) => t.s));
    this.tags = lazySentenceTags(sentences);
  }

  /** Part-of-speech tags of a sentence's tokens, tagged on first use. */
  readonly tags: (si: number) => SentenceTags;

  read(): Reading {
    const appWord = readTopic(this);
    this.sentences.forEach((tokens, si) => {
      readValues(this, si, tokens);
      readParentheses(this, si, tokens);
      readEnums(this, si, tokens);
      readMeasureLists(this, si, tokens);
      readColonLists(this, si, tokens);
      readRecordLists(this, si, tokens);
      readRelationClauses(this, si, tokens);
      readLinkClauses(this, si, tokens);
      readLists(this, si, tokens);
      readNounPhraseLists(this, si, tokens, this.tags(si));
      this.readNouns(si, tokens);
      readKeptThings(this, si, tokens, this.tags(si));
    });
    readVerbLinks(this, this.tags);
    return {
      facts: this.facts,
      topicWords: this.topicWords,
      ...(appWord ? { appWord } : {}),
    };
  }

  use(si: number, from: number, to: number): void {
    for (let k = from; k <= to; k++) if (this.used[si]) this.used[si][k] = true;
  }
  isUsed = (si: number, k: number): boolean => this.used[si]?.[k] ?? false;

  /** Records an entity mention for a phrase and returns its name. */
  entity(si: number, phrase: Phrase, topic = false): string | undefined {
    const name = entityNameFor(phrase.words, this.compounds, this.mentioned);
    if (!name) return undefined;
    this.facts.push({ kind: 'entity', name, sentence: si, pos: phrase.end, ...(topic ? { topic } : {}) });
    this.use(si, phrase.start, phrase.end);
    return name;
  }

  nameOf(phrase: Phrase): string | undefined {
    return entityNameFor(phrase.words, this.compounds, this.mentioned);
  }

  /** A phrase ending at i, without a modifier another rule already used ("book" in "book classes"). */
  phraseEnding(si: number, tokens: Sentence, i: number): Phrase | undefined {
    const phrase = phraseEndingAt(tokens, i);
    if (phrase && phrase.start < phrase.end && this.isUsed(si, phrase.start)) {
      const head = phrase.words[phrase.words.length - 1] ?? '';
      return { start: phrase.end, end: phrase.end, words: [head] };
    }
    return phrase;
  }

  addField(subject: Subject, item: FieldItem, explicit: boolean): void {
    // "vehicle plate" on Vehicle is its plate: the owner's own name adds nothing to a field's
    const [first, ...rest] = item.words;
    const owned =
      subject.kind === 'entity' &&
      rest.length > 0 &&
      first === subject.name.toLowerCase() &&
      // "invoice number" is an identifier; "number" alone would be a count
      inferFieldType(rest).type === inferFieldType(item.words).type;
    this.facts.push({ kind: 'field', subject, item: owned ? { ...item, words: rest } : item, explicit });
  }

  /** Any plural noun left over names an entity ("track contacts, companies and deals"). */
  private readNouns(si: number, tokens: Sentence): void {
    tokens.forEach((t, i) => {
      if (this.isUsed(si, i) || !isPluralNoun(tokens, i)) return;
      const phrase = this.phraseEnding(si, tokens, i);
      if (!phrase) return;
      const name = this.entity(si, phrase);
      if (name && TAG_WORDS.has(t.w))
        this.facts.push({ kind: 'link', from: { kind: 'primary' }, to: named(name), how: 'tags' });
    });
  }
}

export function readPrompt(sentences: readonly Sentence[]): Reading {
  return new PromptReader(sentences).read();
}
