/**
 * Small readers over one sentence's tokens: enum value lists ("open/in progress/done"), quantifiers
 * ("one or more"), clause boundaries and comma-separated ranges. Pure functions, no state.
 */
import { FIELD_WORDS } from './lexicon.js';
import { toEnumValues, type ListItem } from './lists.js';
import type { Sentence, Token } from './text.js';

/** Words before a clause's list that only qualify it ("tasks can also have …"). */
export const MODALS = new Set(
  'can could should must will may might also each all always only to that which who ,'.split(' '),
);
export const WITH_INTRO = new Set('with having including containing storing recording capturing'.split(' '));
export const HAVE_INTRO = new Set('has have need needs require requires'.split(' '));
/** Verbs that create a record of the act: "users rate dishes" → Rating, linked to Dish. */
export const VERB_ENTITIES: Readonly<Record<string, string>> = {
  rate: 'Rating',
  review: 'Review',
  comment: 'Comment',
  vote: 'Vote',
  upvote: 'Vote',
  book: 'Booking',
  reserve: 'Booking',
  borrow: 'Loan',
  enroll: 'Enrollment',
  enrol: 'Enrollment',
  apply: 'Application',
  rsvp: 'Rsvp',
  bid: 'Bid',
};
/**
 * Two-word verbs that create a record: "volunteers sign up for shifts" → Signup. `needsObject`: without
 * a thing signed up for, "users sign up" is an account, not a record.
 */
export const PHRASAL_VERB_ENTITIES: Readonly<Record<string, { entity: string; needsObject: boolean }>> = {
  'sign up': { entity: 'Signup', needsObject: true },
  'signs up': { entity: 'Signup', needsObject: true },
  'check in': { entity: 'CheckIn', needsObject: false },
  'checks in': { entity: 'CheckIn', needsObject: false },
};
/** Verbs whose subject makes or owns the object: "authors publish articles" → Article.author. */
export const AGENT_VERBS = new Set(
  `publish publishes write writes post posts create creates submit submits upload uploads own owns manage
  manages teach teaches lead leads host hosts organize organizes organise organises place places file files
  report reports run runs sell sells list lists adopt adopts send sends record records log logs raise raises
  open opens author authors supervise supervises offer offers sign signs complete completes`.split(/\s+/),
);
/** Verbs whose subject only proposes or judges the object: "members suggest movies" → Movie.suggestedBy. */
export const ROLE_VERBS: Readonly<Record<string, string>> = {
  suggest: 'suggestedBy',
  suggests: 'suggestedBy',
  propose: 'proposedBy',
  proposes: 'proposedBy',
  nominate: 'nominatedBy',
  nominates: 'nominatedBy',
  recommend: 'recommendedBy',
  recommends: 'recommendedBy',
  request: 'requestedBy',
  requests: 'requestedBy',
};
/** "employees belonging to a department": a noun, a participle, "to", the parent. */
export const PARTICIPLES = new Set(
  'belonging assigned linked attached tied connected related allocated mapped subscribed enrolled registered'.split(
    ' ',
  ),
);
/** "books written by authors": a noun, a participle, "by", the one who made it. */
export const AGENT_PARTICIPLES = new Set(
  `written created made placed submitted managed taught led hosted run organized organised authored
  published posted filed reported owned booked sold supplied provided assigned raised opened logged
  supervised`.split(/\s+/),
);
export const VERB_SUBJECTS = new Set(
  'can to and or who should will may also then i we you they let lets users people everyone anyone'.split(
    ' ',
  ),
);
/** Words between a person and their verb ("I can also rate …", "we want to rate …"). */
const PERSONAL_GAP = new Set('can could will would also want wants to then just always should'.split(' '));
/**
 * The verb at k is the app owner's own act ("I rate films", "rate dishes …" as an order): it gives
 * the thing acted on a field, not a record of its own with a rater's name.
 */
export function isPersonalVerb(tokens: readonly Token[], k: number): boolean {
  let b = k - 1;
  while (b >= 0 && PERSONAL_GAP.has(tokens[b]?.w ?? '')) b--;
  const before = tokens[b]?.w;
  return before === undefined || ['i', 'we', 'me', 'lets', 'let', ','].includes(before);
}
export const OBJECT_PREPOSITIONS = new Set('on for to in at into'.split(' '));
export const PRONOUNS = new Set('them it these those'.split(' '));

export const ENUM_HEADS = new Set(
  'status state stage priority urgency severity difficulty condition level kind type category mood role size gender frequency'.split(
    ' ',
  ),
);
export const ENUM_CONNECTORS = new Set(
  'of is are can be either one like such as should must values options :'.split(' '),
);
const TWO_WORD_VALUE_STARTS = new Set('in on not no to under over awaiting waiting checked'.split(' '));
export const QUANTIFIERS = new Set(
  'many multiple several various numerous lots of one or more a list number zero any'.split(' '),
);
/** Index after a quantifier starting at j ("many", "one or more", "a list of"), or -1 without one. */
export function quantifiedAt(tokens: readonly Token[], j: number): number {
  let q = j;
  while (QUANTIFIERS.has(tokens[q]?.w ?? '')) q++;
  const single = q === j + 1 && ['a', 'one', 'any'].includes(tokens[j]?.w ?? '');
  return q > j && !single ? q : -1;
}

/** Index where the clause holding token i starts: after the last comma, colon or "where". */
export function clauseStart(tokens: readonly Token[], i: number): number {
  for (let k = i - 1; k >= 0; k--)
    if ([',', ':', 'where', 'that', 'which'].includes(tokens[k]?.w ?? '')) return k + 1;
  return 0;
}

/** Splits tokens [a, b) into items at commas, slashes, "and", "or". */
export function splitRange(tokens: readonly Token[], a: number, b: number): ListItem[] {
  const items: ListItem[] = [];
  let current: Token[] = [];
  let start = a;
  for (let j = a; j <= b; j++) {
    const t = tokens[j];
    if (j === b || !t || [',', '/', 'and', 'or'].includes(t.w)) {
      if (current.length > 0) items.push({ tokens: current, start, end: j - 1 });
      current = [];
      start = j + 1;
    } else current.push(t);
  }
  return items;
}

export function enumValuesAt(
  tokens: Sentence,
  j: number,
  connected: boolean,
): { values: string[]; end: number } | undefined {
  const slash = tokens.findIndex((t, k) => k >= j && k <= j + 3 && t.w === '/');
  if (slash > j) {
    // values sit between slashes; the last one is a word, or two for "in progress", "on hold"
    let cursor = slash;
    let end: number;
    for (;;) {
      const next = cursor + 1;
      let stop = next;
      while (stop < tokens.length && /^[a-z0-9]+$/.test(tokens[stop]?.w ?? '') && stop - next < 3) stop++;
      if (tokens[stop]?.w === '/' && stop > next) {
        cursor = stop;
        continue;
      }
      const two =
        TWO_WORD_VALUE_STARTS.has(tokens[next]?.w ?? '') && /^[a-z]/.test(tokens[next + 1]?.w ?? '');
      end = next + (two ? 1 : 0);
      break;
    }
    const values = toEnumValues(splitRange(tokens, j, end + 1).filter((item) => item.tokens.length <= 3));
    return values ? { values, end } : undefined;
  }
  if (connected) {
    let b = j;
    while (b < tokens.length && tokens[b]?.w !== '(' && tokens[b]?.w !== ':') b++;
    const items: ListItem[] = [];
    for (const item of splitRange(tokens, j, b)) {
      if (item.tokens.length > 3 || item.tokens.some((t) => t.w === 'with')) break;
      items.push(item);
    }
    const values = toEnumValues(items);
    const last = items[items.length - 1];
    return values && last ? { values, end: last.end } : undefined;
  }
  const [a, or, b] = [tokens[j], tokens[j + 1], tokens[j + 2]];
  if (a && b && or?.w === 'or' && /^[a-z]+$/.test(a.w) && /^[a-z]+$/.test(b.w) && !FIELD_WORDS.has(b.w)) {
    return { values: [a.w, b.w], end: j + 2 };
  }
  return undefined;
}
