/** What the grammar's readers share while reading one prompt: the facts so far and the tokens used. */
import type { Fact, FieldItem, Subject } from './facts.js';
import type { Phrase } from './phrases.js';
import type { Sentence } from './text.js';

export interface ReaderContext {
  readonly sentences: readonly Sentence[];
  readonly facts: Fact[];
  readonly topicWords: string[];
  use(si: number, from: number, to: number): void;
  isUsed(si: number, k: number): boolean;
  /** Records an entity mention for a phrase and returns its name. */
  entity(si: number, phrase: Phrase, topic?: boolean): string | undefined;
  /** The entity name a phrase would get, without recording a mention. */
  nameOf(phrase: Phrase): string | undefined;
  /** A phrase ending at i, without a modifier another rule already used. */
  phraseEnding(si: number, tokens: Sentence, i: number): Phrase | undefined;
  addField(subject: Subject, item: FieldItem, explicit: boolean): void;
}

export const named = (name: string): Subject => ({ kind: 'entity', name });
