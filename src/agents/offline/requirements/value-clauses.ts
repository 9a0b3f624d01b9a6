/**
 * Fields the prompt describes by their values rather than by a list: a bounded score ("1-10 points"),
 * a flag ("an out-of-stock flag", "mark products as sold"), a unit ("prices in cents"), and values
 * computed from the records ("see my longest streak") that are not fields at all.
 */
import type { FieldType } from '../../../core/domain/spec.js';
import { isPersonalVerb, VERB_ENTITIES } from './clauses.js';
import type { FieldItem } from './facts.js';
import { singularize } from './inflect.js';
import { FIELD_WORDS, inferFieldType, STOP_WORDS } from './lexicon.js';
import { ITEM_FILLERS, type Sentence } from './text.js';

export interface ValueMatch {
  /** First and last token the reading used. */
  start: number;
  end: number;
  item: FieldItem;
  /** Where the phrase naming the field's entity starts ("… flag on products"). */
  ownerAt?: number;
  /** The record a verb creates owns the field ("rate dishes 1 to 5 stars" → Rating). */
  ownerEntity?: string;
}

const isNumber = (w: string | undefined): w is string => w !== undefined && /^\d{1,9}$/.test(w);
const isWord = (w: string | undefined): w is string => w !== undefined && /^[a-z][a-z0-9]*$/.test(w);
const NUMERIC = new Set<FieldType>(['integer', 'number', 'money']);

/** Words naming what a range counts, after it ("1-10 points") or before it ("rating 1 to 5"). */
const SCORE_UNITS = new Set('stars star points point hearts marks score rating grade'.split(' '));
/** Words between a field and its range: "difficulty on a scale of 1 to 10", "rated from 1 to 5". */
const RANGE_LEAD = new Set('from between of on a scale the is are be can should must ( :'.split(' '));
const RATED = new Set(['rated', 'rate', 'rates', 'scored', 'graded']);

/** "1 to 10 points", "rating from 1 to 5", "between 1 and 5", "out of 10" starting at token i. */
export function rangeAt(tokens: Sentence, i: number): ValueMatch | undefined {
  const at = (k: number): string | undefined => tokens[k]?.w;
  let lo: number;
  let hi: number;
  let min: number;
  let max: number;
  if (isNumber(at(i)) && (at(i + 1) === 'to' || (at(i + 1) === 'and' && at(i - 1) === 'between'))) {
    if (!isNumber(at(i + 2))) return undefined;
    [lo, hi, min, max] = [i, i + 2, Number(at(i)), Number(at(i + 2))];
  } else if (at(i) === 'out' && at(i + 1) === 'of' && isNumber(at(i + 2))) {
    [lo, hi, min, max] = [i, i + 2, 0, Number(at(i + 2))];
  } else return undefined;
  if (min > max) return undefined;
  let start = lo;
  let end = hi;
  let words: string[] | undefined;
  const after = tokens[hi + 1];
  if (after && isWord(after.w) && (SCORE_UNITS.has(after.w) || FIELD_WORDS.has(after.w))) {
    words = [after.w];
    end = hi + 1;
  } else {
    let b = lo - 1;
    while (b >= 0 && RANGE_LEAD.has(at(b) ?? '')) b--;
    const before = tokens[b];
    if (before && RATED.has(before.w)) {
      words = ['rating'];
      start = b;
    } else if (before && isWord(before.w) && !STOP_WORDS.has(before.w)) {
      // a plural before a range is the thing rated ("dishes 1 to 5"), unless it is written as a field
      const fieldLike = before.s === before.w || FIELD_WORDS.has(before.w) || at(b + 1) === '(';
      if (fieldLike) {
        // "difficulty rating 1-3": the word before "rating" names it
        const modifier = tokens[b - 1];
        const pair =
          SCORE_UNITS.has(before.w) && modifier && isWord(modifier.w) && !STOP_WORDS.has(modifier.w);
        words = pair ? [modifier.w, before.w] : [before.w];
        start = pair ? b - 1 : b;
      }
    }
  }
  // "credits (1-10)": the parentheses belong to the range
  if (at(lo - 1) === '(' && at(end + 1) === ')') end += 1;
  // "users rate dishes 1 to 5 stars": the Rating record holds the score; "I rate films 1-10": the film
  let ownerEntity: string | undefined;
  let rated = false;
  for (let k = start - 1; k >= 0 && ![',', ':'].includes(at(k) ?? ''); k--) {
    const made = VERB_ENTITIES[at(k) ?? ''];
    if (made) {
      rated = at(k) === 'rate';
      if (!isPersonalVerb(tokens, k)) ownerEntity = made;
      break;
    }
  }
  const fieldWords = rated ? ['rating'] : (words ?? ['rating']);
  const guessed = inferFieldType(fieldWords).type;
  const type: FieldType = NUMERIC.has(guessed) ? guessed : 'integer';
  return {
    start,
    end,
    item: { words: fieldWords, type, min, max },
    ...(ownerEntity ? { ownerEntity } : {}),
  };
}

const FLAG_WORDS = new Set('flag flags checkbox toggle'.split(' '));
const FLAG_STOPS = new Set(', : with and or has have having including plus'.split(' '));

/** "an out-of-stock flag (on products)" at a flag word k, or "mark products as sold" at the verb k. */
export function flagAt(tokens: Sentence, k: number): ValueMatch | undefined {
  const t = tokens[k];
  if (!t) return undefined;
  if ((t.w === 'mark' || t.w === 'marks' || t.w === 'flag') && tokens[k + 1]?.w !== 'as') {
    const as = tokens.findIndex((x, j) => j > k + 1 && j <= k + 4 && x.w === 'as');
    if (as < 0) return t.w === 'flag' ? flagNounAt(tokens, k) : undefined;
    const words: string[] = [];
    let j = as + 1;
    while (isWord(tokens[j]?.w) && !FLAG_STOPS.has(tokens[j]?.w ?? '') && words.length < 3)
      words.push(tokens[j++]?.w ?? '');
    if (words.length === 0 || STOP_WORDS.has(words[0] ?? '')) return undefined;
    return { start: as, end: j - 1, item: { words, type: 'boolean' }, ownerAt: k + 1 };
  }
  return flagNounAt(tokens, k);
}

/** Words of a wish or a plan: before "flag" they make it a verb ("want to flag …"). */
const WISH_WORDS = new Set('want wants need needs to would like should must can will'.split(' '));

function flagNounAt(tokens: Sentence, k: number): ValueMatch | undefined {
  if (!FLAG_WORDS.has(tokens[k]?.w ?? '')) return undefined;
  let j = k - 1;
  while (
    j >= 0 &&
    k - j <= 4 &&
    isWord(tokens[j]?.w) &&
    !ITEM_FILLERS.has(tokens[j]?.w ?? '') &&
    !FLAG_STOPS.has(tokens[j]?.w ?? '')
  )
    j--;
  const words = tokens.slice(j + 1, k).map((x) => x.w);
  // "want to flag animals" is a wish, not a flag named "want to"
  if (words.length === 0 || words.some((w) => WISH_WORDS.has(w))) return undefined;
  const on = tokens[k + 1]?.w;
  return {
    start: j + 1,
    end: k,
    item: { words, type: 'boolean' },
    ...(on === 'on' || on === 'for' ? { ownerAt: k + 2 } : {}),
  };
}

interface Unit {
  /** The unit as it ends a field name ("priceCents"); none for a currency ("price in euros"). */
  suffix?: string;
  type: FieldType;
}
const measure = (suffix: string, type: FieldType = 'number'): Unit => ({ suffix, type });
const CURRENCY: Unit = { type: 'money' };
const UNITS: Readonly<Record<string, Unit>> = {
  cents: measure('cents', 'integer'),
  pence: measure('pence', 'integer'),
  dollars: CURRENCY,
  usd: CURRENCY,
  euros: CURRENCY,
  eur: CURRENCY,
  gbp: CURRENCY,
  kg: measure('kg'),
  kgs: measure('kg'),
  kilos: measure('kg'),
  kilograms: measure('kg'),
  grams: measure('grams'),
  g: measure('grams'),
  lbs: measure('lbs'),
  lb: measure('lbs'),
  pounds: measure('lbs'),
  oz: measure('oz'),
  ounces: measure('oz'),
  km: measure('km'),
  kilometers: measure('km'),
  kilometres: measure('km'),
  miles: measure('miles'),
  meters: measure('meters'),
  metres: measure('meters'),
  cm: measure('cm'),
  mm: measure('mm'),
  inches: measure('inches'),
  feet: measure('feet'),
  liters: measure('liters'),
  litres: measure('liters'),
  ml: measure('ml'),
  gallons: measure('gallons'),
  seconds: measure('seconds', 'integer'),
  secs: measure('seconds', 'integer'),
  minutes: measure('minutes', 'integer'),
  mins: measure('minutes', 'integer'),
  hours: measure('hours'),
  hrs: measure('hours'),
  days: measure('days', 'integer'),
  weeks: measure('weeks', 'integer'),
  celsius: measure('celsius'),
  fahrenheit: measure('fahrenheit'),
  percent: measure('percent'),
  kcal: measure('kcal', 'integer'),
  calories: measure('calories', 'integer'),
};

/** "prices in cents", "weight in kg", "cooking time in minutes" at the word "in" (token k). */
export function unitAt(tokens: Sentence, k: number): ValueMatch | undefined {
  // "weight in kg", or "weight (kg)"
  const bracketed = tokens[k]?.w === '(' && tokens[k + 2]?.w === ')';
  if (tokens[k]?.w !== 'in' && !bracketed) return undefined;
  const unit = UNITS[tokens[k + 1]?.w ?? ''];
  if (!unit) return undefined;
  const last = bracketed ? k + 2 : k + 1;
  let j = k - 1;
  while (
    j >= 0 &&
    k - j <= 2 &&
    isWord(tokens[j]?.w) &&
    !STOP_WORDS.has(tokens[j]?.w ?? '') &&
    !ITEM_FILLERS.has(tokens[j]?.w ?? '')
  )
    j--;
  // "distance to work in minutes": a "to" phrase belongs to the field's name
  const toWord = tokens[j - 1];
  if (tokens[j]?.w === 'to' && j < k - 1 && toWord && isWord(toWord.w) && !STOP_WORDS.has(toWord.w)) j -= 2;
  // "time" is a stop word elsewhere but names the field here, after its own modifier ("cooking time")
  if (j === k - 1 && isWord(tokens[j]?.w) && FIELD_WORDS.has(tokens[j]?.w ?? '')) {
    j--;
    const modifier = tokens[j]?.w;
    if (isWord(modifier) && !STOP_WORDS.has(modifier) && !ITEM_FILLERS.has(modifier)) j--;
  }
  const named = tokens.slice(j + 1, k).map((x) => x.w);
  const head = named[named.length - 1];
  if (!head) return undefined;
  const words = [...named.slice(0, -1), singularize(head)];
  const headType = inferFieldType(words).type;
  // "price in pounds" is money; "weight in pounds" is a weight
  const currency = unit === CURRENCY || (headType === 'money' && tokens[k + 1]?.w === 'pounds');
  if (currency) return { start: j + 1, end: last, item: { words, type: 'money' } };
  const suffix = unit.suffix ?? '';
  const withUnit = words[words.length - 1] === suffix ? words : [...words, suffix];
  return { start: j + 1, end: last, item: { words: withUnit, type: unit.type } };
}

const DERIVED_WORDS = new Set(
  'total totals average averages avg sum longest shortest highest lowest best worst current streak streaks mean median'.split(
    ' ',
  ),
);
const DISPLAY_VERBS = new Set(
  'see sees show shows showing view display displays displaying calculate calculates calculating compute computes summarize summarise summarizes report reports chart know'.split(
    ' ',
  ),
);
const DERIVED_ENDS = new Set(', : where while but so'.split(' '));
/** After "and", these start a new request ("… and add notes"): the derived phrase ended before. */
const NEXT_CLAUSE = new Set(
  'add edit track log record create manage keep write mark book rate store save i we they users people can'.split(
    ' ',
  ),
);

/**
 * "see my longest streak", "showing total spent per month": a value computed from the records. The
 * spec has no place for one yet, so the phrase is consumed and no entity or field is made of it.
 */
export function derivedAt(tokens: Sentence, k: number): { start: number; end: number } | undefined {
  if (!DERIVED_WORDS.has(tokens[k]?.w ?? '')) return undefined;
  let b = k - 1;
  while (b >= 0 && (ITEM_FILLERS.has(tokens[b]?.w ?? '') || tokens[b]?.w === 'my')) b--;
  if (!DISPLAY_VERBS.has(tokens[b]?.w ?? '')) return undefined;
  let end = k;
  while (end + 1 < tokens.length) {
    const next = tokens[end + 1]?.w ?? '';
    if (DERIVED_ENDS.has(next) || (next === 'and' && NEXT_CLAUSE.has(tokens[end + 2]?.w ?? ''))) break;
    end++;
  }
  return { start: k, end };
}
