/**
 * Part-of-speech tags for one sentence's tokens, from the `compromise` tagger. The grammar's tokens
 * stay the unit: each word token gets the tags of the term compromise read for it, punctuation gets
 * none. A word compromise split or merged differently is left untagged rather than guessed.
 */
import nlp from 'compromise';
import type { Sentence } from './text.js';

/** The tags the readers ask about; compromise has many more. */
export type PosTag =
  | 'Noun'
  | 'Plural'
  | 'Pronoun'
  | 'Verb'
  | 'PastTense'
  | 'Gerund'
  | 'Auxiliary'
  | 'Copula'
  | 'Adjective'
  | 'Adverb'
  | 'Preposition'
  | 'Determiner'
  | 'Conjunction'
  | 'QuestionWord'
  | 'Value';

const KEPT: ReadonlySet<string> = new Set<PosTag>([
  'Noun',
  'Plural',
  'Pronoun',
  'Verb',
  'PastTense',
  'Gerund',
  'Auxiliary',
  'Copula',
  'Adjective',
  'Adverb',
  'Preposition',
  'Determiner',
  'Conjunction',
  'QuestionWord',
  'Value',
]);

export type SentenceTags = ReadonlyArray<ReadonlySet<PosTag>>;

interface TermJson {
  normal?: string;
  text?: string;
  tags?: string[];
}

const isPosTag = (tag: string): tag is PosTag => KEPT.has(tag);

/** Text compromise reads well: punctuation sits against the word before it, as people type it. */
function sentenceText(tokens: Sentence): string {
  let text = '';
  for (const t of tokens) {
    if (t.w === ',' || t.w === ':' || t.w === ')') text += t.w;
    else if (t.w === '/') text += ' /';
    else text += text === '' || text.endsWith('(') ? t.w : ` ${t.w}`;
  }
  return text;
}

export function tagSentence(tokens: Sentence): SentenceTags {
  const tags: Array<Set<PosTag>> = tokens.map(() => new Set<PosTag>());
  const sentences = nlp(sentenceText(tokens)).json({ terms: { normal: true } }) as Array<{
    terms?: TermJson[];
  }>;
  const terms = sentences.flatMap((s) => s.terms ?? []);
  let k = 0;
  for (const term of terms) {
    const word = (term.normal ?? term.text ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
    if (word === '') continue;
    // punctuation tokens have no term of their own
    while (k < tokens.length && !/^[a-z0-9]/.test(tokens[k]?.w ?? '')) k++;
    if (k >= tokens.length) break;
    if (tokens[k]?.w !== word) continue;
    for (const tag of term.tags ?? []) if (isPosTag(tag)) tags[k]?.add(tag);
    k++;
  }
  return tags;
}

/** Tags per sentence, computed once per prompt on first use. */
export function lazySentenceTags(sentences: readonly Sentence[]): (si: number) => SentenceTags {
  const cache = new Map<number, SentenceTags>();
  return (si) => {
    const known = cache.get(si);
    if (known) return known;
    const tags = tagSentence(sentences[si] ?? []);
    cache.set(si, tags);
    return tags;
  };
}
