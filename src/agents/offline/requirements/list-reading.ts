/**
 * Lists of fields or child entities after "with", "have" or a colon: "books with title, author and
 * isbn", "projects have many tasks", "tracker: vehicles, drivers and …".
 */
import { PERSON_NOUNS } from './catalog.js';
import { clauseStart, HAVE_INTRO, isPersonalVerb, MODALS, quantifiedAt, WITH_INTRO } from './clauses.js';
import type { Subject } from './facts.js';
import { looksPlural } from './inflect.js';
import { FIELD_WORDS, inferFieldType, TAG_WORDS } from './lexicon.js';
import type { FieldType } from '../../../core/domain/spec.js';
import {
  colonListKind,
  colonRun,
  headlineEnd,
  isFieldSegment,
  openingBefore,
  RECORD_HEADS,
  type ColonSegment,
} from './colon-lists.js';
import { readList, slashPairs, toFieldItem, type ListItem } from './lists.js';
import { readOptionSegment } from './option-lists.js';
import { addOption } from './value-reading.js';
import { isPluralNoun, phraseEndingAt } from './phrases.js';
import { named, type ReaderContext } from './reader-context.js';
import { ITEM_FILLERS, type Sentence, type Token } from './text.js';

/** "X with a, b and c", "X have a title and an author", "tracker: vehicles, drivers and …". */
export function readLists(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, i) => {
    const isColon = t.w === ':';
    const isWith = WITH_INTRO.has(t.w) || isColon;
    const isHave = HAVE_INTRO.has(t.w) && !quantifies(tokens, i + 1);
    if (!isWith && !isHave) return;
    let b = i - 1;
    while (b >= 0 && (isHave ? MODALS.has(tokens[b]?.w ?? '') : LIST_GAP.has(tokens[b]?.w ?? ''))) b--;
    // "vaccines (rabies, distemper) with the date given": the list's owner is before the parentheses
    if (tokens[b]?.w === ')') b = openingBefore(tokens, b) - 1;
    // after a colon the list is the app's own contents ("tracker: vehicles, drivers …")
    if (!isColon && !isHave) b = ownerAcrossPreposition(tokens, b);
    const ownerPhrase = isColon ? undefined : ctx.phraseEnding(si, tokens, b);
    const ownerName = ownerPhrase ? ctx.entity(si, ownerPhrase) : undefined;
    // "each appointment is for one pet with a vet": a singular object of "for"/"to"/"by" is only
    // what the clause is about; the list belongs to the clause's own subject
    const governed =
      ownerPhrase !== undefined &&
      isWith &&
      !isColon &&
      !looksPlural(tokens[b]?.w ?? '') &&
      GOVERNING.has(
        tokens[ownerPhrase.start - 1]?.w === 'one' || tokens[ownerPhrase.start - 1]?.w === 'a'
          ? (tokens[ownerPhrase.start - 2]?.w ?? '')
          : (tokens[ownerPhrase.start - 1]?.w ?? ''),
      );
    const owner: Subject | undefined = governed
      ? { kind: 'context', sentence: si, pos: i, from: clauseStart(tokens, i) }
      : ownerName
        ? { kind: 'entity', name: ownerName }
        : isHave
          ? { kind: 'context', sentence: si, pos: i, from: clauseStart(tokens, i) }
          : undefined;
    const { items } = readList(tokens, i + 1, (k) => ctx.isUsed(si, k));
    const fresh = withAnswers(items.filter((item) => !ctx.isUsed(si, item.end)));
    const fieldCount = fresh.filter((item) => isFieldItem(item, owner)).length;
    // "books with title, author and isbn" lists a named entity's fields as fully as "books have …"
    const lists = isHave || (isWith && ownerName !== undefined);
    for (const item of fresh) readListItem(ctx, si, tokens, item, owner, lists && fieldCount >= 2);
  });
}

const COUNT_BOUNDS = new Set(['max', 'min', 'maximum', 'minimum']);
const COUNT_OPENERS: ReadonlyArray<[string, string]> = [
  ['number', 'of'],
  ['count', 'of'],
  ['how', 'many'],
];

/** Words between an owner and its "with" list: "vendors (…) each with a contact person". */
const LIST_GAP = new Set([',', 'each', 'every', 'all']);

const ANSWERS = new Set('yes no maybe'.split(' '));

/**
 * "paid yes/no" read as items paid, yes, no: the answers become the item's values — a yes/no flag,
 * or an enum when there are other answers too ("rsvp yes/no/maybe").
 */
function withAnswers(items: ListItem[]): ListItem[] {
  const out: ListItem[] = [];
  for (const item of items) {
    const only = item.tokens.length === 1 ? item.tokens[0]?.w : undefined;
    const prev = out[out.length - 1];
    if (only && ANSWERS.has(only) && prev) {
      prev.answers = [...(prev.answers ?? []), only];
      continue;
    }
    // "paid yes / no" splits into "paid yes" and "no": the trailing answer is not part of the name
    const tokens = [...item.tokens];
    const answers: string[] = [];
    while (tokens.length > 1 && ANSWERS.has(tokens[tokens.length - 1]?.w ?? ''))
      answers.unshift(tokens.pop()?.w ?? '');
    out.push(answers.length > 0 ? { ...item, tokens, answers } : { ...item });
  }
  return out;
}

/** "many tasks", "a number of seats" quantify a child; "a number and seats" lists fields. */
function quantifies(tokens: Sentence, j: number): boolean {
  const q = quantifiedAt(tokens, j);
  return q >= 0 && !(tokens[q - 1]?.w === 'number' && tokens[q]?.w !== 'of');
}

/**
 * "orders for cakes with a pickup date", "applications from people with their address": the list
 * describes the thing before the preposition; the noun after it only says what for or from whom.
 */
function ownerAcrossPreposition(tokens: Sentence, b: number): number {
  if (!/^[a-z]/.test(tokens[b]?.w ?? '')) return b;
  let p = (phraseEndingAt(tokens, b)?.start ?? b) - 1;
  while (p >= 0 && ITEM_FILLERS.has(tokens[p]?.w ?? '')) p--;
  const before = tokens[p - 1];
  if (!OWNER_PREPOSITIONS.has(tokens[p]?.w ?? '') || !before || !looksPlural(before.w)) return b;
  return isPluralNoun(tokens, p - 1) ? p - 1 : b;
}

/** Prepositions whose object is what a clause is about, not the clause's subject. */
const GOVERNING = new Set(['for', 'to', 'by']);

const OWNER_PREPOSITIONS = new Set(['for', 'from', 'on', 'in', 'at']);

/** Singular words and plural field words ("due dates", "bedrooms") are fields of the owner. */
export function isFieldItem(item: ListItem, owner: Subject | undefined): boolean {
  const last = item.tokens[item.tokens.length - 1];
  if (!last || TAG_WORDS.has(last.w)) return false;
  const words = item.tokens.map((x) => x.w);
  // "number of copies", "how many guests": a count, however plural its last word
  const core = words.filter((w) => !ITEM_FILLERS.has(w) && !COUNT_BOUNDS.has(w));
  if (COUNT_OPENERS.some(([a, b]) => core[0] === a && core[1] === b)) return true;
  if (!looksPlural(last.w))
    return owner !== undefined || FIELD_WORDS.has(last.w) || inferFieldType(words).type !== 'string';
  // plurals are child entities ("comments", "photos") unless they are counts or known field words
  const type = inferFieldType(words).type;
  // without an owner ("hotel: rooms, guests, bookings") a bare plural is a thing, not a count
  const counted = (type === 'integer' || type === 'number') && (owner !== undefined || words.length > 1);
  return FIELD_WORDS.has(last.w) || counted;
}

function readListItem(
  ctx: ReaderContext,
  si: number,
  tokens: Sentence,
  item: ListItem,
  owner: Subject | undefined,
  explicit: boolean,
): void {
  const last = item.tokens[item.tokens.length - 1];
  if (!last) return;
  const phrase = ctx.phraseEnding(si, tokens, item.end);
  ctx.use(si, item.start, item.end);
  if (item.answers && item.answers.length > 0) {
    const field = toFieldItem(item.tokens);
    const subject = owner ?? { kind: 'primary' };
    const values = [...item.answers, ...item.tokens.slice(-1).map((t) => t.w)];
    if (!field) return;
    if (item.answers.every((a) => a === 'yes' || a === 'no'))
      ctx.addField(subject, { ...field, type: 'boolean' }, explicit);
    else
      ctx.facts.push({
        kind: 'enum',
        subject,
        words: field.words,
        values: item.answers.length > 1 ? item.answers : values,
      });
    return;
  }
  if (isFieldItem(item, owner)) {
    const field = toFieldItem(item.tokens);
    if (field) ctx.addField(owner ?? { kind: 'primary' }, field, explicit && owner?.kind === 'entity');
    return;
  }
  const name = phrase && phrase.start >= item.start ? ctx.entity(si, phrase) : undefined;
  if (!name) return;
  const from: Subject = owner ?? { kind: 'primary' };
  if (TAG_WORDS.has(last.w)) ctx.facts.push({ kind: 'link', from, to: named(name), how: 'tags' });
  else if (last.s === 'category') ctx.facts.push({ kind: 'link', from, to: named(name), how: 'single' });
  else if (owner && PERSON_NOUNS.has(last.s))
    ctx.facts.push({ kind: 'link', from: owner, to: named(name), how: 'people' });
  else if (owner) ctx.facts.push({ kind: 'link', from: named(name), to: owner, how: 'parent' });
}

/** A plural before a colon names the owner of the fields after it ("log my lifts:", "each coin:"). */
function ownerBeforeColon(ctx: ReaderContext, si: number, tokens: Sentence, colon: number): Subject {
  const end = headlineEnd(tokens, colon);
  const head = tokens[end - 1];
  const each = ['each', 'every'].includes(tokens[end - 2]?.w ?? '');
  const phrase = head && (looksPlural(head.w) || each) ? ctx.phraseEnding(si, tokens, end - 1) : undefined;
  const name = phrase ? ctx.entity(si, phrase) : undefined;
  return name ? named(name) : { kind: 'primary' };
}

/**
 * "log my lifts: exercise, weight, sets", "tracker: flats i viewed, rent, size": fields listed after a
 * colon belong to the plural before it, to the list's first item, or to the app's subject.
 */
export function readColonLists(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, colon) => {
    if (t.w !== ':') return;
    const isUsed = (k: number): boolean => ctx.isUsed(si, k);
    const kind = colonListKind(tokens, colon, isUsed);
    if (kind !== 'fields' && kind !== 'owned') return;
    const { segments } = colonRun(tokens, colon, isUsed);
    let owner: Subject = kind === 'fields' ? ownerBeforeColon(ctx, si, tokens, colon) : { kind: 'primary' };
    let fields = segments;
    const first = segments[0];
    if (kind === 'owned' && first?.head !== undefined) {
      const phrase = ctx.phraseEnding(si, tokens, first.head);
      const name = phrase ? ctx.entity(si, phrase) : undefined;
      if (!name) return;
      owner = named(name);
      // "flats i viewed": the clause after the head only says which ones
      if (HEAD_CLAUSE_STARTS.has(tokens[first.head + 1]?.w ?? '')) ctx.use(si, first.head, first.end);
      fields = segments.slice(1);
    }
    for (const segment of fields) readFieldSegment(ctx, si, tokens, segment, owner);
  });
}

/**
 * "readings of temperature, humidity and soil moisture": the record is the plural, the values after
 * "of" are its numeric fields.
 */
export function readMeasureLists(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, i) => {
    if (!RECORD_HEADS.has(t.s) || !looksPlural(t.w) || tokens[i + 1]?.w !== 'of' || ctx.isUsed(si, i)) return;
    const isUsed = (k: number): boolean => ctx.isUsed(si, k);
    const { fields } = colonRun(tokens, i + 1, isUsed);
    if (fields.length < 2) return;
    const phrase = ctx.phraseEnding(si, tokens, i);
    const name = phrase ? ctx.entity(si, phrase) : undefined;
    if (!name) return;
    ctx.use(si, i + 1, i + 1);
    for (const segment of fields) readFieldSegment(ctx, si, tokens, segment, named(name), 'number');
  });
}

/** Verbs of writing something down: the fields listed after them are the record's. */
const RECORD_VERBS = new Set(
  'record records log logs enter enters note notes capture captures store stores'.split(' '),
);

/**
 * "record litres, price per litre and the station", "I enter amount and currency": a verb of
 * recording followed by two or more field names lists fields of the app's main record.
 */
export function readRecordLists(ctx: ReaderContext, si: number, tokens: Sentence): void {
  tokens.forEach((t, i) => {
    if (!RECORD_VERBS.has(t.w) || ctx.isUsed(si, i)) return;
    // "service records per van", "a daily log with …" use the word as a noun
    const afterObject = ITEM_FILLERS.has(tokens[i - 2]?.w ?? '') && looksPlural(t.w) === false;
    if (!isPersonalVerb(tokens, i) && !afterObject) return;
    const isUsed = (k: number): boolean => ctx.isUsed(si, k);
    if (colonListKind(tokens, i, isUsed) !== 'fields') return;
    ctx.use(si, i, i);
    // "for every candle we store the scent …": the record is the one the sentence is about
    // "for every candle we store the scent …": the record is the one the sentence hands out
    const each = tokens.findIndex(
      (x, k) => k < i - 2 && x.w === 'for' && ['each', 'every'].includes(tokens[k + 1]?.w ?? ''),
    );
    const phrase = each >= 0 ? ctx.phraseEnding(si, tokens, each + 2) : undefined;
    const name = phrase ? ctx.entity(si, phrase) : undefined;
    for (const segment of colonRun(tokens, i, isUsed).segments)
      readFieldSegment(ctx, si, tokens, segment, name ? named(name) : { kind: 'primary' });
  });
}

/** Pronouns that open a clause describing the item before them ("flats i viewed"). */
const HEAD_CLAUSE_STARTS = new Set('i we you they that which who'.split(' '));

/** One comma segment as one field (or two, "min/max players"), unless a value rule already read it. */
export function readFieldSegment(
  ctx: ReaderContext,
  si: number,
  tokens: Sentence,
  segment: ColonSegment,
  owner: Subject,
  type?: FieldType,
): void {
  if (!isFieldSegment(tokens, segment)) return;
  // words inside parentheses ("(kg)", "(aisle-shelf)") qualify the field and may be read already
  const outside: number[] = [];
  let depth = 0;
  for (let k = segment.start; k <= segment.end; k++) {
    const w = tokens[k]?.w;
    if (w === '(') depth++;
    else if (w === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) outside.push(k);
  }
  if (outside.length === 0 || outside.some((k) => ctx.isUsed(si, k))) return;
  ctx.use(si, segment.start, segment.end);
  const words = outside.map((k) => tokens[k]).filter((t): t is Token => t !== undefined);
  // "soil moisture for each bed": the distributive tail names what the record is about
  const cut = distributiveAt(words);
  const slice = cut >= 0 ? words.slice(0, cut) : words;
  if (cut >= 0 && owner.kind === 'entity') {
    const at = outside[cut + 2];
    const phrase = at === undefined ? undefined : ctx.phraseEnding(si, tokens, at);
    const target = phrase ? ctx.entity(si, phrase) : undefined;
    if (target) ctx.facts.push({ kind: 'link', from: owner, to: named(target), how: 'single' });
  }
  const option = readOptionSegment(slice);
  if (option) {
    for (const item of option.fields) ctx.addField(owner, item, true);
    if (option.option) addOption(ctx, owner, option.option, true);
    return;
  }
  const pairs = slashPairs(slice.map((x) => x.w));
  const items = pairs
    ? pairs.map((pair) => toFieldItem(pair.map((w) => ({ w, s: w }))))
    : [toFieldItem(slice)];
  for (const item of items) if (item) ctx.addField(owner, type ? { ...item, type } : item, true);
}

/** Index of "for each …", "from every …" closing a segment, or -1. */
function distributiveAt(words: readonly Token[]): number {
  return words.findIndex(
    (t, j) =>
      j > 0 && ['for', 'from', 'in', 'on'].includes(t.w) && ['each', 'every'].includes(words[j + 1]?.w ?? ''),
  );
}
