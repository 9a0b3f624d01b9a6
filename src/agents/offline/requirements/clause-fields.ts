/**
 * Fields written as small clauses instead of nouns: "whether they RSVP'd", "if it's alcohol free",
 * "how often it needs water", "when I last watered it", "when the next one is due", "from-to dates".
 */
import type { FieldItem } from './facts.js';
import type { Sentence } from './text.js';

export interface ClauseField {
  /** First and last token the clause used. */
  start: number;
  end: number;
  items: FieldItem[];
  /** "which apartment": the token heading a thing the record points at, instead of a field. */
  refersTo?: number;
}

const PRONOUNS = new Set('i we you he she it they its their them his her my our your one ones'.split(' '));
const AUXILIARIES = new Set('is are was were be been being do does did get gets got already yet'.split(' '));
const POSSESSION = new Set(['has', 'have', 'had']);
const FILLERS = new Set('a an the any some'.split(' '));
/** Where a clause inside a list ends. */
const CLAUSE_ENDS = new Set(', ) ( : and but so'.split(' '));
/** Before "if", these make it a list item ("…, and if it's paid"), not a condition ("remind me if …"). */
const LIST_BEFORE_IF = new Set(', and or with plus :'.split(' '));
const MAX_CLAUSE = 7;
const PAYING = new Set('paid pay pays spent spend cost costs charged charge'.split(' '));

const isWord = (w: string | undefined): w is string => w !== undefined && /^[a-z][a-z0-9]*$/.test(w);

/** Index of the last token of the clause starting at `from`, "or not" and "(every n days)" included. */
function clauseEnd(tokens: Sentence, from: number): number {
  let j = from;
  while (j + 1 < tokens.length && j + 1 - from < MAX_CLAUSE) {
    const next = tokens[j + 1]?.w ?? '';
    if (next === '(') {
      const close = tokens.findIndex((t, m) => m > j && t.w === ')');
      if (close > 0 && close - j <= 6) j = close;
      break;
    }
    if (next === 'or' && tokens[j + 2]?.w === 'not') {
      j += 2;
      break;
    }
    if (CLAUSE_ENDS.has(next)) break;
    j++;
  }
  return j;
}

/** "whether they have a garden" → hasGarden; "if it's alcohol free" → alcoholFree: a yes/no field. */
function flagClause(tokens: Sentence, k: number): ClauseField | undefined {
  const w = tokens[k]?.w;
  const ok = w === 'whether' || (w === 'if' && LIST_BEFORE_IF.has(tokens[k - 1]?.w ?? ''));
  if (!ok) return undefined;
  const end = clauseEnd(tokens, k);
  const words: string[] = [];
  for (let j = k + 1; j <= end; j++) {
    const x = tokens[j]?.w;
    if (x === 'or' && tokens[j + 1]?.w === 'not') break;
    if (!isWord(x) || PRONOUNS.has(x) || AUXILIARIES.has(x) || FILLERS.has(x)) continue;
    words.push(POSSESSION.has(x) ? 'has' : x);
  }
  if (words.length === 0 || words.length > 3 || (words.length === 1 && words[0] === 'has')) return undefined;
  return { start: k, end, items: [{ words, type: 'boolean' }] };
}

/** "how often it needs water (every n days)" → a frequency. */
function frequencyClause(tokens: Sentence, k: number): ClauseField | undefined {
  if (tokens[k]?.w !== 'how' || tokens[k + 1]?.w !== 'often') return undefined;
  return { start: k, end: clauseEnd(tokens, k + 1), items: [{ words: ['frequency'], type: 'integer' }] };
}

/** "when I last watered it" → lastWatered; "when the next one is due" → nextDue. */
function whenClause(tokens: Sentence, k: number): ClauseField | undefined {
  if (tokens[k]?.w !== 'when') return undefined;
  const end = clauseEnd(tokens, k);
  const words = tokens.slice(k + 1, end + 1).map((t) => t.w);
  const last = words.indexOf('last');
  const done = words[last + 1];
  if (last >= 0 && isWord(done) && /ed$|en$/.test(done))
    return { start: k, end, items: [{ words: ['last', done], type: 'date' }] };
  if (words[words.length - 1] === 'due') {
    const item = words.includes('next') ? ['next', 'due'] : ['due', 'date'];
    return { start: k, end, items: [{ words: item, type: 'date' }] };
  }
  return undefined;
}

/** "from-to dates", "start/end dates", "start and end date": two dates. */
function spanClause(tokens: Sentence, k: number): ClauseField | undefined {
  const [a, sep, b] = [0, 1, 2].map((d) => tokens[k + d]?.w);
  const pair =
    (a === 'from' && (b === 'to' || sep === 'to')) || (a === 'start' && (b === 'end' || sep === 'end'));
  if (!pair) return undefined;
  const last = sep === 'to' || sep === 'end' ? k + 2 : k + 3;
  const what = tokens[last]?.s;
  if (what !== 'date' && what !== 'time') return undefined;
  const type = what === 'date' ? 'date' : 'datetime';
  return {
    start: k,
    end: last,
    items: [
      { words: ['start', what], type },
      { words: ['end', what], type },
    ],
  };
}

/** "what's broken", "what was done" in a list: a description of the matter. */
function whatClause(tokens: Sentence, k: number): ClauseField | undefined {
  if (tokens[k]?.w !== 'what' || !LIST_BEFORE_IF.has(tokens[k - 1]?.w ?? '')) return undefined;
  const end = clauseEnd(tokens, k);
  if (end === k) return undefined;
  // "what I paid for it": the sum paid, not a description
  if (tokens.slice(k + 1, end + 1).some((t) => PAYING.has(t.w)))
    return { start: k, end, items: [{ words: ['price'], type: 'money' }] };
  return { start: k, end, items: [{ words: ['description'], type: 'text' }] };
}

/** "which apartment", "which room it is in": the record points at that thing. */
function whichClause(tokens: Sentence, k: number): ClauseField | undefined {
  if (tokens[k]?.w !== 'which' || !LIST_BEFORE_IF.has(tokens[k - 1]?.w ?? '')) return undefined;
  const noun = tokens[k + 1];
  if (!noun || !isWord(noun.w) || PRONOUNS.has(noun.w) || AUXILIARIES.has(noun.w)) return undefined;
  // "which side (bride/groom)" lists the choices: an option field read elsewhere
  if (tokens[k + 2]?.w === '(') return undefined;
  return { start: k, end: clauseEnd(tokens, k), items: [], refersTo: k + 1 };
}

/** A field told by a clause at token k, if one starts there. */
export function clauseFieldAt(tokens: Sentence, k: number): ClauseField | undefined {
  return (
    flagClause(tokens, k) ??
    frequencyClause(tokens, k) ??
    whenClause(tokens, k) ??
    spanClause(tokens, k) ??
    whatClause(tokens, k) ??
    whichClause(tokens, k)
  );
}
