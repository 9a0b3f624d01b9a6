/**
 * Prompt text → clean lower-case ASCII sentences of tokens. Prompts are untrusted: markup, links,
 * code and anything beyond the prompt limit are dropped before any rule looks at them.
 */
import { PROMPT_MAX_CHARS } from '../../../core/domain/request.js';
import { singularize } from './inflect.js';

export interface Token {
  /** Lower-case word or one punctuation mark: , ( ) / : */
  w: string;
  /** Singular form of a word (same as `w` for punctuation). */
  s: string;
  /** The word was written as a possessive ("member's", "members'"). */
  poss?: true;
}
export type Sentence = Token[];

/** Phrases rewritten before tokenising so one idea is one word. */
const JOINS: ReadonlyArray<[RegExp, string]> = [
  [/\bto[\s-]+dos?\b/g, 'todo'],
  [/\be-mails?\b/g, 'email'],
  [/\bcheck[\s-]+ins\b/g, 'checkins'],
  [/\bcheck-in\b/g, 'checkin'],
  [/\bplus-ones?\b/g, 'plus ones'],
  [/\bi\.?e\.?(?=\s)/g, ' '],
  [/\be\.?g\.?(?=\s)/g, ' '],
  // "etc" and a trailing "..." mark a list of examples; the dots must not end the sentence
  [/(?:\.{2,}|\u2026)\s*\)/g, ' etc )'],
  [/\betc\.?/g, ' etc '],
  [/\bvs\.?/g, ' '],
  // "clients w/ address", "w/o": shorthand for with / without
  [/\bw\/o\b/g, ' without '],
  [/\bw\/(?=\s|[a-z])/g, ' with '],
];

const CONTRACTED: Readonly<Record<string, string>> = {
  s: 'is',
  re: 'are',
  m: 'am',
  ve: 'have',
  ll: 'will',
  d: 'would',
};

/** A spaced dash early in the text heads a list like a colon: "restaurant reservations - name, size". */
const HEADLINE_DASH = /^([^.;!?\n:]{0,60}?[a-z])\s[-\u2013\u2014]+\s(?=[a-z])/;

/** Lower-case ASCII text with only words, spaces and the punctuation the grammar reads. */
export function normalizeText(raw: string): string {
  let text = raw
    .slice(0, PROMPT_MAX_CHARS)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  text = text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^<>]{0,300}>/g, ' ')
    .replace(/\b(?:https?|ftp):\/\/\S+/gi, ' ')
    .replace(/\S+@\S+\.\S+/g, ' ')
    .toLowerCase();
  for (const [pattern, replacement] of JOINS) text = text.replace(pattern, replacement);
  text = text.replace(HEADLINE_DASH, '$1 : ');
  return (
    text
      // "1-10 points", "1–5": a range, before hyphens become spaces
      .replace(/(\d+)\s*[-\u2013\u2014]\s*(\d+)/g, '$1 to $2')
      // "(books with …; members with …)": each entity in the parentheses is a sentence of its own
      .replace(/\(([^()]*;[^()]*)\)/g, (_, inner: string) => `. ${inner.replace(/;/g, '.')}. `)
      // a name keeps its words ("called sarah's bakery" → "sarah bakery"); elsewhere a possessive
      // keeps a '#' mark on its word ("member#"), read by toSentences as Token.poss
      .replace(/\b(?:called|named|titled)(?:\s+[^\s.;!?]+){1,4}/g, (name) => name.replace(/['’]s\b/g, ''))
      // "they're", "I've": a pronoun and its verb, not a new word ("theyre"); "it's" stays "it#"
      .replace(
        /\b(i|you|we|they|he|she|it|that|what|who|there)['’](re|m|ve|ll|d)\b/g,
        (_, p: string, v: string) => `${p} ${CONTRACTED[v] ?? v}`,
      )
      .replace(/\b([a-z0-9]+)['’]s\b/g, '$1#')
      .replace(/\b([a-z]+s)['’](?= [a-z])/g, '$1#')
      .replace(/['’`]/g, '')
      .replace(/[&+]/g, ' and ')
      .replace(/([a-z0-9])[-_]+(?=[a-z0-9])/g, '$1 ')
      .replace(/[[{]/g, '(')
      .replace(/[\]}]/g, ')')
      .replace(/[^a-z0-9,()/:.;!?\n# ]+/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .trim()
  );
}

/** Splits normalised text into sentences of tokens; parentheses never span sentences. */
export function toSentences(normalized: string): Sentence[] {
  return normalized
    .split(/[.;!?\n]+/)
    .map((part) =>
      (part.match(/[a-z0-9]+#?|[,()/:]/g) ?? []).map((raw): Token => {
        const w = raw.replace(/#$/, '');
        return { w, s: /^[a-z]/.test(w) ? singularize(w) : w, ...(raw.endsWith('#') ? { poss: true } : {}) };
      }),
    )
    .filter((sentence) => sentence.length > 0);
}

/** Words that may start an item without belonging to it ("a title", "their due date"). */
export const ITEM_FILLERS: ReadonlySet<string> = new Set(
  'a an the its their his her our my your some any each every one also plus own etc'.split(' '),
);
