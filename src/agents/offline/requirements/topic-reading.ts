/**
 * The app's topic: "a recipe app", "vet clinic software", "school grades: …". The words before the
 * app word (or a headline colon) name what the app is about; their head may be an entity too.
 */
import { catalogNameFor } from './catalog.js';
import { ENUM_HEADS } from './clauses.js';
import { colonListKind, headlineEnd } from './colon-lists.js';
import { COLLECTION_WORDS } from './entity-reading.js';
import { ACTIVITY_WORDS, APP_WORDS, STOP_WORDS } from './lexicon.js';
import { isEntityHead, isNounish } from './phrases.js';
import type { ReaderContext } from './reader-context.js';
import { ITEM_FILLERS, type Sentence, type Token } from './text.js';

/** Reads the topic of the first sentence holding an app word (or a headline); returns the app word. */
export function readTopic(ctx: ReaderContext): string | undefined {
  for (const [si, tokens] of ctx.sentences.entries()) {
    const k = tokens.findIndex((t) => APP_WORDS.has(t.s));
    if (k >= 0) {
      if (!readTopicBefore(ctx, si, tokens, k)) readTopicAfterFor(ctx, si, tokens, k);
      return tokens[k]?.s;
    }
    // a headline such as "school grades: …" names the topic; a colon later in a sentence does not
    const colon = tokens.findIndex((t) => t.w === ':');
    if (si === 0 && colon > 0 && colon <= 5 && !ENUM_HEADS.has(tokens[colon - 1]?.s ?? '')) {
      ctx.use(si, colon, colon);
      if (readTopicBefore(ctx, si, tokens, headlineEnd(tokens, colon))) return undefined;
    }
  }
  return undefined;
}

/** "an app for a dog walking business: …", "CRM for a freelance designer". */
function readTopicAfterFor(ctx: ReaderContext, si: number, tokens: Sentence, k: number): void {
  if (tokens[k + 1]?.w !== 'for') return;
  let j = k + 2;
  while (ITEM_FILLERS.has(tokens[j]?.w ?? '') || STOP_WORDS.has(tokens[j]?.w ?? '')) j++;
  let end = j;
  while (
    end < tokens.length &&
    end - j < 3 &&
    /^[a-z]/.test(tokens[end]?.w ?? '') &&
    !STOP_WORDS.has(tokens[end]?.w ?? '')
  )
    end++;
  if (end > j && (tokens[end] === undefined || !/^[a-z]/.test(tokens[end]?.w ?? '')))
    readTopicBefore(ctx, si, tokens, end);
}

/**
 * "recipe box: recipes with …", "aquarium log: tanks, water tests …": when the headline's list names
 * the things stored, the words before it are the box they sit in, not a record of their own.
 */
function isContainer(tokens: Sentence, k: number, h: number): boolean {
  const colon = tokens.findIndex((t, j) => j >= k && t.w === ':');
  if (colon < 0 || colon - k > 6) return false;
  const kind = colonListKind(tokens, colon);
  // "gym class scheduling: members book classes": the topic's own head is one of the things listed
  const head = tokens[h]?.s;
  // listed as a thing, not as a modifier ("a league table" does not list leagues)
  const listed = tokens.some((t, j) => j > colon && t.s === head && !isNounish(tokens[j + 1]));
  return !listed && (kind === 'entities' || kind === 'owned');
}

/** Reads up to three topic words before index k; false when there are none. */
function readTopicBefore(ctx: ReaderContext, si: number, tokens: Sentence, k: number): boolean {
  let start = k;
  const isTopicWord = (t: Token | undefined): boolean =>
    /^[a-z]/.test(t?.w ?? '') && !STOP_WORDS.has(t?.w ?? '');
  while (start > 0 && k - start < 3 && isTopicWord(tokens[start - 1])) start--;
  if (start === k) return false;
  ctx.topicWords.push(...tokens.slice(start, k).map((t) => t.w));
  if (tokens[k]?.w === ':' || APP_WORDS.has(tokens[k]?.s ?? '')) ctx.use(si, k, k);
  // gerunds and activities ("habit tracking", "plant watering") are not the thing stored
  const isActivity = (t: Token | undefined): boolean =>
    ACTIVITY_WORDS.has(t?.w ?? '') || ((t?.w ?? '').endsWith('ing') && !catalogNameFor([t?.w ?? '']));
  // "vet clinic", "dog walking business": places and activities are scenery
  let h = k - 1;
  while (h >= start && (isActivity(tokens[h]) || !isEntityHead(tokens[h]))) h--;
  const phrase = h >= start ? ctx.phraseEnding(si, tokens, h) : undefined;
  if (!phrase || phrase.start < start || isContainer(tokens, k, h)) return true;
  // "onboarding checklist", "reading list": a lone collection word names the app, not a record in it
  if (phrase.words.length === 1 && COLLECTION_WORDS.has(phrase.words[0] ?? '')) return true;
  ctx.entity(si, phrase, true);
  const before = tokens[phrase.start - 1];
  if (phrase.start - 1 >= start && isEntityHead(before) && catalogNameFor([before.s])) {
    ctx.entity(si, { start: phrase.start - 1, end: phrase.start - 1, words: [before.s] }, true);
  }
  return true;
}
