/**
 * Derived values a prompt asks to see ("we see the average", "total spent per month", "my longest
 * streak", "flag animals that are overdue"), read after the entities are built. A value is kept only
 * when every word of it resolves to a real entity and field; otherwise it is dropped, never invented.
 */
import {
  derivedProblem,
  type DerivedGroup,
  type DerivedKind,
  type DerivedValue,
  type Entity,
  type Field,
} from '../../../core/domain/spec.js';
import { singularize } from './inflect.js';
import { fieldNameFromWords, splitWords } from './naming.js';
import type { Sentence } from './text.js';

type Aggregate = Exclude<DerivedKind, 'flag' | 'streak' | 'count'>;

/** Words that start an aggregate, and the kind each asks for. */
const AGGREGATE_WORDS: Readonly<Record<string, Aggregate>> = {
  total: 'sum',
  totals: 'sum',
  sum: 'sum',
  average: 'average',
  averages: 'average',
  avg: 'average',
  mean: 'average',
  highest: 'max',
  max: 'max',
  maximum: 'max',
  best: 'max',
  lowest: 'min',
  min: 'min',
  minimum: 'min',
};
/** Words that also name a field's bound ("min stock level"): an aggregate only after a display verb. */
const BOUND_WORDS = new Set('min max minimum maximum'.split(' '));
const DISPLAY_VERBS = new Set(
  'see show shows showing view display displays know calculate calculates compute computes report chart track'.split(
    ' ',
  ),
);
/** Where the measured words of a phrase stop. */
const PHRASE_ENDS = new Set(
  ', : ( ) / so where which that when while but to calculated automatically'.split(' '),
);
/** After "and", these start a new request: the phrase ended before. */
const NEXT_CLAUSE = new Set(
  'add edit track log record create manage keep write mark book rate store save i we they users people can want need'.split(
    ' ',
  ),
);
const FILLERS = new Set(
  'a an the my our your their his her its of in on at per personal overall all time'.split(' '),
);
/** "per month", "each week", "monthly": the period words and their period. */
const PERIODS: Readonly<Record<string, DerivedGroup['period']>> = {
  day: 'day',
  daily: 'day',
  week: 'week',
  weekly: 'week',
  month: 'month',
  monthly: 'month',
};
/** "total spent": words that mean money paid out, for a spending entity's money field. */
const SPENDING_WORDS = new Set('spent spend spending expense expenses'.split(' '));
/** "how much each groomer made": words that mean money taken in. */
const EARNING_WORDS = new Set('made make earned earn earning revenue income sale takings'.split(' '));
/** "personal best": with no measured word, the one measure where higher is better. */
const BEST_WORDS = new Set('weight score point distance'.split(' '));
const SPENDING_ENTITIES = /transaction|expense|purchase|payment|spend|receipt|bill/i;
const NUMERIC = new Set<Field['type']>(['integer', 'number', 'money']);
const DATED = new Set<Field['type']>(['date', 'datetime']);
/** Date fields that say when something is due: "overdue" compares them with today. */
const DUE_WORDS = new Set('due deadline return expiry expire expiration renewal next'.split(' '));
/** Number fields a "low stock" flag reads. */
const STOCK_WORDS = new Set('stock quantity qty inventory level count onhand'.split(' '));
const BELOW = new Set('below under less fewer'.split(' '));

interface Phrase {
  /** The measured words, singular ("minute", "point"). */
  words: string[];
  /** The words after "per" / "for each" / "by", singular. */
  group: string[] | undefined;
}

/** Singular words a field answers to: its name's and its label's. */
function fieldWords(field: Field): Set<string> {
  return new Set([...splitWords(field.name), ...splitWords(field.label)].map(singularize));
}

function entityWords(entity: Entity): Set<string> {
  const words = [...splitWords(entity.name), ...splitWords(entity.label)].map(singularize);
  return new Set([...words, words.join('')]);
}

/** The words after the trigger at `k`, cut where the clause ends, split at its grouping word. */
function phraseAt(tokens: Sentence, k: number): Phrase {
  const words: string[] = [];
  let group: string[] | undefined;
  for (let i = k + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token || PHRASE_ENDS.has(token.w)) break;
    if (token.w === 'and' && NEXT_CLAUSE.has(tokens[i + 1]?.w ?? '')) break;
    const grouping =
      token.w === 'per' ||
      token.w === 'by' ||
      (token.w === 'for' && (tokens[i + 1]?.w === 'each' || tokens[i + 1]?.w === 'every')) ||
      ((token.w === 'each' || token.w === 'every') && group === undefined);
    if (grouping && group === undefined) {
      group = [];
      if (token.w === 'for') i++;
      continue;
    }
    // A second "per …" ("per client per month"): one grouping is kept, the first.
    if (grouping) break;
    if (group) group.push(token.s);
    else if (!FILLERS.has(token.w)) words.push(token.s);
  }
  return { words, group: group?.filter((w) => !FILLERS.has(w)) };
}

/** Fields of `types` whose words include one of `words`. */
function fieldsNamed(
  entities: readonly Entity[],
  words: readonly string[],
  types: ReadonlySet<Field['type']>,
) {
  return entities.flatMap((entity) =>
    entity.fields
      .filter((field) => types.has(field.type) && words.some((w) => fieldWords(field).has(w)))
      .map((field) => ({ entity, field })),
  );
}

/** How `entity` can group by `words`: a period of its first date field, a reference, or a field. */
function groupFor(entity: Entity, words: readonly string[]): DerivedGroup | undefined {
  const period = words.map((w) => PERIODS[w]).find((p) => p !== undefined);
  if (period) {
    const dated = entity.fields.find((f) => DATED.has(f.type));
    return dated ? { field: dated.name, period } : undefined;
  }
  const named = entity.fields.find(
    (f) =>
      !f.unique &&
      ['reference', 'enum', 'string', 'boolean'].includes(f.type) &&
      words.some((w) => fieldWords(f).has(w)),
  );
  if (named) return { field: named.name };
  return undefined;
}

/** The words of another entity the words before an aggregate are about, if any. */
function subjectOf(
  before: Sentence,
  entities: readonly Entity[],
  measuredEntity: Entity,
): string[] | undefined {
  for (const token of before) {
    const entity = entities.find((e) => entityWords(e).has(token.s));
    if (entity) return entity === measuredEntity ? undefined : [token.s];
  }
  return undefined;
}

/** The entity and field an aggregate measures, preferring the entity that can also group as asked. */
function measured(
  entities: readonly Entity[],
  phrase: Phrase,
  types: ReadonlySet<Field['type']>,
  best = false,
): Array<{ entity: Entity; field: Field }> {
  const named = fieldsNamed(entities, phrase.words, types);
  if (named.length > 0) return named;
  const spends = phrase.words.some((w) => SPENDING_WORDS.has(w));
  // "how much each groomer made": the money word may follow the group
  const all = [...phrase.words, ...(phrase.group ?? [])];
  if (spends || all.some((w) => EARNING_WORDS.has(w))) {
    const money = fieldsNamed(entities, ['amount', 'cost', 'price', 'total', 'fee'], new Set(['money']));
    const spending = money.filter((m) => SPENDING_ENTITIES.test(m.entity.name));
    return spends && spending.length > 0 ? spending : money;
  }
  if (best && phrase.words.length === 0) {
    const measures = fieldsNamed(entities, [...BEST_WORDS], types);
    if (measures.length > 0) return measures;
  }
  // "we see the average": only when the app holds exactly one number to average
  if (phrase.words.length === 0) {
    const all = entities.flatMap((entity) =>
      entity.fields.filter((f) => types.has(f.type)).map((field) => ({ entity, field })),
    );
    return all.length === 1 ? all : [];
  }
  return [];
}

function aggregateAt(
  tokens: Sentence,
  k: number,
  kind: Aggregate,
  entities: readonly Entity[],
): Draft | undefined {
  const phrase = phraseAt(tokens, k);
  // "each order has a date and a total": the word names a field, it asks for no aggregate
  const trigger = tokens[k]?.s ?? '';
  if (phrase.words.length === 0 && entities.some((e) => e.fields.some((f) => fieldWords(f).has(trigger))))
    return undefined;
  // "monthly total", "daily average": a period written before the trigger
  const before = PERIODS[tokens[k - 1]?.w ?? ''] ? [tokens[k - 1]?.w ?? ''] : undefined;
  const types = kind === 'sum' || kind === 'average' ? NUMERIC : new Set([...NUMERIC, ...DATED]);
  const candidates = measured(entities, phrase, types, tokens[k]?.w === 'best');
  for (const { entity, field } of candidates) {
    // "shoes have a brand and total km": the value belongs to the entity the sentence is about
    const groupWords = phrase.group ?? before ?? subjectOf(tokens.slice(0, k), entities, entity);
    if (!groupWords) return { kind, entity: entity.name, field: field.name, fieldLabel: field.label };
    const per = groupFor(entity, groupWords);
    if (per)
      return {
        kind,
        entity: entity.name,
        field: field.name,
        fieldLabel: field.label,
        per,
        perLabel: groupWords.join(' '),
      };
  }
  return undefined;
}

/** "longest streak": consecutive days of the rows of an entity with a date (a log, not a catalogue). */
function streakAt(tokens: Sentence, k: number, entities: readonly Entity[]): Draft | undefined {
  if (!tokens.slice(k, k + 3).some((t) => t.s === 'streak')) return undefined;
  const logs = entities.filter((e) => e.fields.some((f) => f.type === 'date' || f.type === 'datetime'));
  const log = logs.find((e) => e.fields.some((f) => f.type === 'reference')) ?? logs[0];
  const field = log?.fields.find((f) => DATED.has(f.type));
  if (!log || !field) return undefined;
  return {
    kind: 'streak',
    entity: log.name,
    field: field.name,
    fieldLabel: 'Longest streak',
    label: 'Longest streak (days)',
  };
}

/** "how many X per Y", "number of X": a count of an entity's rows. */
function countAt(tokens: Sentence, k: number, entities: readonly Entity[]): Draft | undefined {
  const first = tokens[k]?.w;
  const second = tokens[k + 1]?.w;
  const start =
    first === 'how' && second === 'many' ? k + 1 : first === 'number' && second === 'of' ? k + 1 : -1;
  if (start < 0) return undefined;
  const phrase = phraseAt(tokens, start);
  const entity = entities.find(
    (e) => phrase.words.length > 0 && phrase.words.every((w) => entityWords(e).has(w)),
  );
  if (!entity) return undefined;
  if (!phrase.group) return { kind: 'count', entity: entity.name, fieldLabel: entity.pluralLabel };
  const per = groupFor(entity, phrase.group);
  return per
    ? {
        kind: 'count',
        entity: entity.name,
        fieldLabel: entity.pluralLabel,
        per,
        perLabel: phrase.group.join(' '),
      }
    : undefined;
}

/** "overdue", "due today", "low stock below 5": a badge on the rows that meet a condition. */
function flagsIn(sentence: Sentence, entities: readonly Entity[]): Draft[] {
  // "status (draft, sent, paid, overdue)": an option listed in parentheses is a value, not a flag
  let depth = 0;
  const tokens = sentence.filter((t) => {
    if (t.w === '(') depth++;
    if (t.w === ')') depth = Math.max(0, depth - 1);
    return depth === 0 && t.w !== ')';
  });
  const words = tokens.map((t) => t.w);
  const flags: Draft[] = [];
  const mentioned = (entity: Entity) => tokens.some((t) => entityWords(entity).has(t.s));
  const prefer = <T extends { entity: Entity }>(found: T[]) =>
    found.find((f) => mentioned(f.entity)) ?? found[0];
  const overdue = words.includes('overdue') || words.join(' ').includes('past due');
  const dueToday = /\bdue (?:today|now)\b/.test(words.join(' '));
  if (overdue || dueToday) {
    const due = prefer(fieldsNamed(entities, [...DUE_WORDS], DATED));
    if (due)
      flags.push({
        kind: 'flag',
        entity: due.entity.name,
        fieldLabel: overdue ? 'Overdue' : 'Due',
        label: overdue ? 'Overdue' : 'Due',
        condition: { field: due.field.name, op: overdue ? '<' : '<=', value: 'today' },
      });
  }
  const low = words.findIndex(
    (w, i) => w === 'low' && (words[i + 1] === 'stock' || words[i + 1] === 'inventory'),
  );
  const below = words.findIndex((w) => BELOW.has(w));
  const limit = below >= 0 ? words.slice(below + 1, below + 3).find((w) => /^\d+$/.test(w)) : undefined;
  if (low >= 0 && limit !== undefined) {
    const stock = prefer(fieldsNamed(entities, [...STOCK_WORDS], new Set(['integer', 'number'])));
    if (stock)
      flags.push({
        kind: 'flag',
        entity: stock.entity.name,
        fieldLabel: 'Low stock',
        label: 'Low stock',
        condition: { field: stock.field.name, op: '<', value: Number(limit) },
      });
  }
  return flags;
}

/** A value before it is named: what it reads, and the words its label is made of. */
type Draft = (
  | { kind: Aggregate; field: string; condition?: undefined }
  | { kind: 'streak'; field: string; condition?: undefined }
  | { kind: 'count'; field?: undefined; condition?: undefined }
  | { kind: 'flag'; field?: undefined; condition: Extract<DerivedValue, { kind: 'flag' }>['condition'] }
) & { entity: string; fieldLabel: string; label?: string; per?: DerivedGroup; perLabel?: string };

const KIND_WORDS: Readonly<Record<Exclude<DerivedKind, 'flag' | 'streak'>, string>> = {
  count: 'number of',
  sum: 'total',
  average: 'average',
  min: 'lowest',
  max: 'highest',
  latest: 'latest',
};

const lowerFirst = (label: string) =>
  /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;

function labelOf(draft: Draft): string {
  const base =
    draft.label ??
    (draft.kind === 'flag' || draft.kind === 'streak'
      ? draft.fieldLabel
      : `${KIND_WORDS[draft.kind]} ${lowerFirst(draft.fieldLabel)}`);
  const text = draft.perLabel ? `${base} per ${draft.perLabel}` : base;
  return (text.charAt(0).toUpperCase() + text.slice(1)).slice(0, 60);
}

function toDerived(draft: Draft, taken: Set<string>): DerivedValue | undefined {
  const label = labelOf(draft);
  const base = fieldNameFromWords(splitWords(label)) ?? 'derivedValue';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 38)}${n}`;
  const common = { name, label, entity: draft.entity };
  const per = draft.per ? { per: draft.per } : {};
  if (draft.kind === 'flag') return { kind: 'flag', ...common, condition: draft.condition };
  if (draft.kind === 'count') return { kind: 'count', ...common, ...per };
  return { kind: draft.kind, ...common, field: draft.field, ...per };
}

/** Same value asked twice (or in two words): one entry. */
const sameValue = (a: Draft, b: Draft) =>
  a.kind === b.kind &&
  a.entity === b.entity &&
  a.field === b.field &&
  a.per?.field === b.per?.field &&
  a.per?.period === b.per?.period &&
  a.condition?.field === b.condition?.field;

export function readDerivedValues(
  sentences: readonly Sentence[],
  entities: readonly Entity[],
): DerivedValue[] {
  if (entities.length === 0) return [];
  const drafts: Draft[] = [];
  const add = (draft: Draft | undefined) => {
    if (draft && !drafts.some((d) => sameValue(d, draft))) drafts.push(draft);
  };
  for (const tokens of sentences) {
    for (let k = 0; k < tokens.length; k++) {
      const word = tokens[k]?.w ?? '';
      if (word === 'longest' || word === 'streak') add(streakAt(tokens, k, entities));
      else if (word === 'how' && tokens[k + 1]?.w === 'much')
        add(aggregateAt(tokens, k + 1, 'sum', entities));
      else if (word === 'how' || word === 'number') add(countAt(tokens, k, entities));
      else {
        const kind = AGGREGATE_WORDS[word];
        // "min stock level" is a field; "show the max weight" asks for a value
        const asked = !BOUND_WORDS.has(word) || tokens.slice(0, k).some((t) => DISPLAY_VERBS.has(t.w));
        if (kind && asked) add(aggregateAt(tokens, k, kind, entities));
      }
    }
    for (const flag of flagsIn(tokens, entities)) add(flag);
  }
  const taken = new Set<string>();
  const derived: DerivedValue[] = [];
  for (const draft of drafts.slice(0, 20)) {
    const value = toDerived(draft, taken);
    // The schema's own check: whatever does not fit the entities as built is dropped.
    if (!value || derivedProblem(value, entities) !== undefined) continue;
    taken.add(value.name);
    derived.push(value);
  }
  return derived;
}
