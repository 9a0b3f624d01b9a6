/**
 * Readers that run first: fields told by their values (ranges, flags, units, measures), lists in
 * parentheses ("books (title, author)", "status (open, done)") and enum clauses ("priority low/high").
 */
import { catalogNameFor } from './catalog.js';
import { colonListKind, headlineEnd, openingBefore } from './colon-lists.js';
import { looksPlural } from './inflect.js';
import { clauseFieldAt } from './clause-fields.js';
import {
  ENUM_CONNECTORS,
  ENUM_HEADS,
  enumValuesAt,
  HAVE_INTRO,
  MODALS,
  splitRange,
  WITH_INTRO,
} from './clauses.js';
import type { FieldItem, Subject } from './facts.js';
import { FIELD_WORDS } from './lexicon.js';
import { slashPairs, toEnumValues, toFieldItem } from './lists.js';
import {
  exampleValues,
  isExampleList,
  readOptionSegment,
  splitSegments,
  type OptionField,
} from './option-lists.js';
import { PERSON_NOUNS } from './catalog.js';
import { isEntityHead, phraseEndingAt, phraseStartingAt } from './phrases.js';
import { named, type ReaderContext } from './reader-context.js';
import type { Sentence } from './text.js';
import { derivedAt, flagAt, rangeAt, unitAt, type ValueMatch } from './value-clauses.js';

/** Heads of measured values: "water levels", "glucose readings". */
const MEASURE_HEADS = new Set(['level', 'reading', 'measurement']);
/** A plain lower-case word that can name a field. */
const FIELD_HEAD = /^[a-z][a-z0-9]*$/;

/**
 * Fields told by their values ("1-10 points", "an out-of-stock flag", "prices in cents") and values
 * computed from records ("see my longest streak"), read first so no looser rule makes entities of them.
 */
export function readValues(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((_, k) => {
    if (ctx.isUsed(si, k)) return;
    const derived = derivedAt(tokens, k);
    if (derived) {
      ctx.use(si, derived.start, derived.end);
      return;
    }
    const clause = clauseFieldAt(tokens, k);
    if (clause) {
      ctx.use(si, clause.start, clause.end);
      const subject = listOwnerBefore(ctx, si, tokens, clause.start);
      const target = clause.refersTo === undefined ? undefined : phraseStartingAt(tokens, clause.refersTo);
      const name = target ? ctx.entity(si, target) : undefined;
      if (name) ctx.facts.push({ kind: 'link', from: subject, to: named(name), how: 'single' });
      for (const item of clause.items) ctx.addField(subject, item, false);
      return;
    }
    const match = rangeAt(tokens, k) ?? flagAt(tokens, k) ?? unitAt(tokens, k);
    if (match) addValueField(ctx, si, tokens, match);
    else readMeasure(ctx, si, tokens, k);
  });
}

export function addValueField(ctx: ReaderContext, si: number, tokens: Sentence, match: ValueMatch): void {
  ctx.use(si, match.start, match.end);
  const owner = match.ownerAt === undefined ? undefined : phraseStartingAt(tokens, match.ownerAt);
  const ownerName = owner ? ctx.entity(si, owner) : undefined;
  const subject: Subject = ownerName
    ? named(ownerName)
    : match.ownerEntity
      ? named(match.ownerEntity)
      : listOwnerBefore(ctx, si, tokens, match.start);
  ctx.addField(subject, match.item, false);
}

/** Inside "recipes with …, a difficulty rating 1-3" the list's owner, else the nearest entity before. */
function listOwnerBefore(ctx: ReaderContext, si: number, tokens: Sentence, start: number): Subject {
  for (let k = start - 1; k > 0; k--) {
    const w = tokens[k]?.w ?? '';
    if (w === 'where' || w === 'that' || w === 'which') break;
    if (w === ':') {
      // "maintenance requests from tenants: what's broken, …" describes the requests
      const end = headlineEnd(tokens, k) - 1;
      const kind = colonListKind(tokens, k, (j) => ctx.isUsed(si, j));
      const plural = looksPlural(tokens[end]?.w ?? '') && kind === 'fields';
      const phrase = plural ? ctx.phraseEnding(si, tokens, end) : undefined;
      const name = phrase ? ctx.entity(si, phrase) : undefined;
      if (name) return named(name);
      break;
    }
    if (!WITH_INTRO.has(w) && !HAVE_INTRO.has(w)) continue;
    let b = k - 1;
    while (b >= 0 && MODALS.has(tokens[b]?.w ?? '')) b--;
    if (tokens[b]?.w === ')') b = openingBefore(tokens, b) - 1;
    const phrase = ctx.phraseEnding(si, tokens, b);
    const name = phrase ? ctx.entity(si, phrase) : undefined;
    if (name) return named(name);
    break;
  }
  return { kind: 'context', sentence: si, pos: start };
}

/** "books (title, author, isbn)" lists fields; "status (open, in progress, done)" lists values. */
export function readParentheses(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, k) => {
    if (t.w !== '(' || ctx.isUsed(si, k)) return;
    let m = k + 1;
    while (m < tokens.length && tokens[m]?.w !== ')') m++;
    const head = tokens[k - 1];
    // "temperature (°C)", "humidity (%)", "location code (aisle-shelf)": a unit or a format, not fields
    const unitMark = m - k - 1 <= 1 && (tokens[k + 1]?.w.length ?? 0) <= 3;
    const formatOf =
      head !== undefined && head.w === head.s && FIELD_WORDS.has(head.w) && !ENUM_HEADS.has(head.s);
    if (unitMark || formatOf) {
      ctx.use(si, k, m);
      return;
    }
    if (head && ENUM_HEADS.has(head.s)) {
      const values = toEnumValues(splitRange(tokens, k + 1, m));
      if (values) {
        ctx.facts.push({
          kind: 'enum',
          subject: { kind: 'context', sentence: si, pos: k - 1 },
          words: [head.s],
          values,
        });
        ctx.use(si, k - 1, m);
      }
      return;
    }
    if (head && readExamples(ctx, si, tokens, k, m)) return;
    const phrase = phraseEndingAt(tokens, k - 1);
    const segments = splitSegments(tokens, k + 1, m).map((segment) => {
      const option = readOptionSegment(segment);
      if (option) return option;
      // "min/max players" → minPlayers, maxPlayers
      const pairs = slashPairs(segment.map((t) => t.w));
      const items = pairs
        ? pairs.map((words) => words.map((w) => ({ w, s: w })))
        : splitRange(segment, 0, segment.length).map((item) => item.tokens);
      return {
        fields: items.map((item) => toFieldItem(item)).filter((f): f is FieldItem => f !== undefined),
      };
    });
    const count = segments.reduce((n, s) => n + s.fields.length + (s.option ? 1 : 0), 0);
    if (!phrase || count === 0) return;
    const name = ctx.entity(si, phrase);
    if (!name) return;
    for (const segment of segments) {
      for (const item of segment.fields) ctx.addField(named(name), item, count >= 2);
      if (segment.option) addOption(ctx, named(name), segment.option, count >= 2);
    }
    ctx.use(si, k, m);
  });
}

/**
 * "vendors (florist, caterer, dj …)" → Vendor.kind with those values; "instrument (piano, guitar)"
 * and "side (bride/groom)" → an enum named by the singular word before the parentheses.
 */
function readExamples(ctx: ReaderContext, si: number, tokens: Sentence, k: number, m: number): boolean {
  const head = tokens[k - 1];
  if (!head) return false;
  const singular = head.w === head.s && FIELD_HEAD.test(head.w) && !catalogNameFor([head.s]);
  let segments = splitSegments(tokens, k + 1, m);
  const only = segments[0];
  if (segments.length === 1 && only?.some((x) => x.w === '/'))
    segments = splitRange(only, 0, only.length).map((item) => item.tokens);
  if (!isExampleList(segments, singular)) return false;
  const values = exampleValues(segments);
  if (values.length < 2) return false;
  if (singular) {
    const subject: Subject = { kind: 'context', sentence: si, pos: k - 1 };
    ctx.facts.push({ kind: 'enum', subject, words: [head.s], values });
    ctx.use(si, k - 1, m);
    return true;
  }
  const phrase = phraseEndingAt(tokens, k - 1);
  const name = phrase ? ctx.entity(si, phrase) : undefined;
  if (!name) return false;
  ctx.facts.push({ kind: 'enum', subject: named(name), words: ['type'], values });
  ctx.use(si, k, m);
  return true;
}

export function addOption(
  ctx: ReaderContext,
  subject: Subject,
  option: OptionField,
  explicit: boolean,
): void {
  if (option.type === 'boolean') ctx.addField(subject, { words: option.words, type: 'boolean' }, explicit);
  else ctx.facts.push({ kind: 'enum', subject, words: option.words, values: option.values ?? [] });
}

/** "status open/closed", "priority: low, medium or high", "state open or closed". */
export function readEnums(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, i) => {
    if (!ENUM_HEADS.has(t.s) || ctx.isUsed(si, i)) return;
    let j = i + 1;
    while (tokens[j] && ENUM_CONNECTORS.has(tokens[j]?.w ?? '')) j++;
    const connected = j > i + 1;
    const read = enumValuesAt(tokens, j, connected);
    if (!read) return;
    ctx.facts.push({
      kind: 'enum',
      subject: { kind: 'context', sentence: si, pos: i },
      words: [t.s],
      values: read.values,
    });
    ctx.use(si, i, read.end);
  });
}

/**
 * "water levels (of my plants)", "blood sugar readings": a measured value, a number on the entity
 * named after it or the nearest one before, never an entity Level.
 */
function readMeasure(ctx: ReaderContext, si: number, tokens: Sentence, i: number): boolean {
  const t = tokens[i];
  const modifier = tokens[i - 1];
  if (!t || !MEASURE_HEADS.has(t.s) || !isEntityHead(modifier) || ctx.isUsed(si, i - 1)) return false;
  if (FIELD_WORDS.has(modifier.w) || PERSON_NOUNS.has(modifier.s)) return false;
  // "skill level: beginner, advanced" lists values: an enum, read later
  const next = tokens[i + 1]?.w ?? '';
  if (next === '(' || (ENUM_CONNECTORS.has(next) && next !== 'of') || tokens[i + 2]?.w === '/') return false;
  const owner = /^(of|for|in|on)$/.test(tokens[i + 1]?.w ?? '') ? phraseStartingAt(tokens, i + 2) : undefined;
  const ownerName = owner ? ctx.entity(si, owner) : undefined;
  ctx.use(si, i - 1, i);
  const subject: Subject = ownerName ? named(ownerName) : { kind: 'context', sentence: si, pos: i };
  ctx.addField(subject, { words: [modifier.w, t.s], type: 'number' }, false);
  return true;
}
