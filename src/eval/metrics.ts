/**
 * Fidelity metrics: how much of what a prompt asks for lands in the Spec. Pure functions over an
 * expected case and what the builder did (built a spec, or refused with a message).
 */
import type { DerivedValue, Entity, Field, FieldType, Spec } from '../core/domain/spec.js';
import type { EvalCase, ExpectedDerived, ExpectedEntity, ExpectedField, TypeClass } from './dataset.js';

export type Outcome =
  | {
      kind: 'built';
      spec: Pick<Spec, 'entities'> & Partial<Pick<Spec, 'derived'>>;
      validation?: { ok: boolean; steps: Record<string, boolean>; failure?: string };
    }
  | { kind: 'refused'; message: string }
  /** The builder failed for another reason than the prompt: counted as neither built nor refused. */
  | { kind: 'crashed'; message: string };

export interface TypeMismatch {
  field: string;
  expected: string;
  actual: string;
}

export interface PromptScore {
  id: string;
  split: 'tune' | 'holdout';
  prompt: string;
  outOfScope: boolean;
  built: boolean;
  refusal?: string;
  crash?: string;
  /** undefined when the app was not validated (`--no-validate`, or refused). */
  validated?: boolean;
  validationFailure?: string;
  actualEntities: string[];
  entities: { expected: number; found: number; missing: string[] };
  /** Actual entities that match no expected entity (optional ones included). */
  extraEntities: string[];
  fields: { expected: number; found: number; missing: string[]; mismatched: TypeMismatch[] };
  relations: { expected: number; found: number; missing: string[] };
  ranges: { expected: number; found: number; missing: string[] };
  /** Expected derived values a Spec can carry, found among the spec's; `beyond`: those it cannot. */
  derived: { expected: number; found: number; missing: string[]; beyond: number };
  /** A build that has nothing to do with the prompt, or any build for an out-of-scope prompt. */
  unrelated: boolean;
}

const IRREGULAR: Record<string, string> = { people: 'person', children: 'child' };

/**
 * Lower-case letters and digits, with the singular forms a plural may stand for: `StockMovements`
 * and `stock movement` share a form, and so do `Movies` and `movie`.
 */
export function nameForms(name: string): Set<string> {
  const flat = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const forms = new Set([flat]);
  for (const [plural, singular] of Object.entries(IRREGULAR))
    if (flat.endsWith(plural)) forms.add(flat.slice(0, -plural.length) + singular);
  if (flat.length > 3 && flat.endsWith('s')) forms.add(flat.slice(0, -1));
  if (flat.length > 4 && flat.endsWith('es')) forms.add(flat.slice(0, -2));
  if (flat.length > 4 && flat.endsWith('ies')) forms.add(`${flat.slice(0, -3)}y`);
  return forms;
}

export function namesMatch(alternatives: readonly string[], actual: string): boolean {
  const target = nameForms(actual);
  return alternatives.some((a) => [...nameForms(a)].some((form) => target.has(form)));
}

/** A reference field named `ownerId` answers to `owner`. */
function fieldNameMatches(expected: ExpectedField, field: Field): boolean {
  const stripped = field.name.replace(/Ids?$/, '');
  return namesMatch(expected.names, field.name) || (stripped !== '' && namesMatch(expected.names, stripped));
}

const COMPATIBLE: Record<TypeClass, readonly FieldType[]> = {
  text: ['string', 'text', 'email', 'url'],
  number: ['integer', 'number'],
  money: ['money', 'number', 'integer'],
  boolean: ['boolean'],
  date: ['date', 'datetime'],
  datetime: ['datetime'],
  enum: ['enum'],
};

export function typeCompatible(types: readonly TypeClass[], actual: FieldType): boolean {
  return types.some((t) => COMPATIBLE[t].includes(actual));
}

const isReference = (field: Field) => field.type === 'reference' || field.type === 'references';

/** How well `entity` answers `expected`: expected field names it has, then how early its name comes. */
function candidateRank(expected: ExpectedEntity, entity: Entity): [number, number] {
  const hits = expected.fields.filter((f) =>
    entity.fields.some((field) => fieldNameMatches(f, field)),
  ).length;
  const position = expected.names.findIndex((n) => namesMatch([n], entity.name));
  return [-hits, position];
}

/**
 * Pairs expected with actual entities by name: a maximum matching, required entities first, so
 * `Member|Borrower` and `Student|Member` both find a partner when the spec has Member and Student.
 * Among several candidates an entity prefers the one holding more of its expected fields.
 */
export function matchEntities(
  expected: readonly ExpectedEntity[],
  actual: readonly Entity[],
): Map<number, Entity> {
  const candidates = expected.map((e) =>
    [...actual.keys()]
      .filter((a) => namesMatch(e.names, actual[a]?.name ?? ''))
      .map((a) => ({ a, rank: candidateRank(e, actual[a] as Entity) }))
      .sort((x, y) => x.rank[0] - y.rank[0] || x.rank[1] - y.rank[1])
      .map((c) => c.a),
  );
  const owner = new Map<number, number>(); // actual index → expected index
  const tryAssign = (e: number, seen: Set<number>): boolean => {
    for (const a of candidates[e] ?? []) {
      if (seen.has(a)) continue;
      seen.add(a);
      const current = owner.get(a);
      if (current === undefined || tryAssign(current, seen)) {
        owner.set(a, e);
        return true;
      }
    }
    return false;
  };
  const order = [...expected.keys()].sort(
    (x, y) => Number(expected[x]?.optional) - Number(expected[y]?.optional),
  );
  for (const e of order) tryAssign(e, new Set());
  const result = new Map<number, Entity>();
  for (const [a, e] of owner) {
    const entity = actual[a];
    if (entity) result.set(e, entity);
  }
  return result;
}

/** The actual entity name a `ref:X` expectation stands for, or X's alternatives when X was not built. */
function refTargets(
  ref: string,
  expected: readonly ExpectedEntity[],
  matched: Map<number, Entity>,
): string[] {
  const index = expected.findIndex((e) => namesMatch(e.names, ref));
  const built = index >= 0 ? matched.get(index) : undefined;
  if (built) return [built.name];
  return index >= 0 ? (expected[index]?.names ?? [ref]) : [ref];
}

/** Whether `entity` points at one of `targets`, or a target holds many of `entity` (the other side). */
function hasRelation(
  entity: Entity,
  targets: string[],
  spec: Pick<Spec, 'entities'>,
): Field | 'inverse' | undefined {
  const direct = entity.fields.find((f) => isReference(f) && f.target && namesMatch(targets, f.target));
  if (direct) return direct;
  const inverse = spec.entities.some(
    (other) =>
      namesMatch(targets, other.name) &&
      other.fields.some((f) => f.type === 'references' && f.target === entity.name),
  );
  return inverse ? 'inverse' : undefined;
}

interface FieldVerdict {
  found: boolean;
  mismatch?: TypeMismatch;
  relation?: boolean;
  range?: boolean;
}

function judgeField(
  expected: ExpectedField,
  entity: Entity,
  context: {
    expected: readonly ExpectedEntity[];
    matched: Map<number, Entity>;
    spec: Pick<Spec, 'entities'>;
  },
): FieldVerdict {
  const label = `${entity.name}.${expected.names[0] ?? '?'}`;
  const byName = entity.fields.find((f) => fieldNameMatches(expected, f));
  const onlyRefs = expected.types.length === 0 && expected.refs.length > 0;
  const targets = expected.refs.flatMap((r) => refTargets(r, context.expected, context.matched));
  if (expected.refs.length > 0) {
    const nameHit = byName && isReference(byName) && byName.target && namesMatch(targets, byName.target);
    if (nameHit || hasRelation(entity, targets, context.spec) !== undefined)
      return { found: true, ...(onlyRefs ? { relation: true } : {}) };
  }
  const rangeVerdict = (field: Field | undefined) =>
    expected.min === undefined && expected.max === undefined
      ? {}
      : {
          range:
            field !== undefined &&
            (expected.min === undefined || field.min === expected.min) &&
            (expected.max === undefined || field.max === expected.max),
        };
  const relationVerdict = onlyRefs ? { relation: false } : {};
  if (!byName) return { found: false, ...relationVerdict, ...rangeVerdict(undefined) };
  if (typeCompatible(expected.types, byName.type))
    return { found: true, ...relationVerdict, ...rangeVerdict(byName) };
  // a reference to the entity as built: `ref:Idea` reads `ref:FeatureRequest` when Idea was built under that name
  const want = [...expected.types, ...[...new Set(targets)].map((t) => `ref:${t}`)].join('|');
  const got = isReference(byName) ? `${byName.type}:${byName.target ?? '?'}` : byName.type;
  return {
    found: false,
    mismatch: { field: label, expected: want, actual: got },
    ...relationVerdict,
    ...rangeVerdict(byName),
  };
}

/** A reference field named `filmId` answers to `film`; a period answers to itself. */
function groupMatches(per: readonly string[], derived: DerivedValue, entities: readonly Entity[]): boolean {
  if (derived.kind === 'flag' || !derived.per) return false;
  const { field: name, period } = derived.per;
  if (period) return per.includes(period);
  const field = entities.find((e) => e.name === derived.entity)?.fields.find((f) => f.name === name);
  const stripped = name.replace(/Ids?$/, '');
  return (
    namesMatch(per, name) ||
    (stripped !== '' && namesMatch(per, stripped)) ||
    (field?.type === 'reference' && field.target !== undefined && namesMatch(per, field.target))
  );
}

/**
 * Whether a spec's derived value is the one a reader expects: same kind, entity (by name), the
 * aggregated (or flag) field when named, and the grouping when one is named.
 */
export function derivedMatches(
  expected: ExpectedDerived,
  actual: DerivedValue,
  entities: readonly Entity[],
): boolean {
  if (!(expected.kinds as readonly string[]).includes(actual.kind)) return false;
  if (!namesMatch(expected.entities, actual.entity)) return false;
  const field =
    actual.kind === 'flag' ? actual.condition.field : actual.kind === 'count' ? undefined : actual.field;
  if (expected.fields.length > 0 && (field === undefined || !namesMatch(expected.fields, field)))
    return false;
  return expected.per.length === 0 || groupMatches(expected.per, actual, entities);
}

function scoreDerived(item: EvalCase, spec: Outcome & { kind: 'built' }): PromptScore['derived'] {
  const expressible = item.derived.filter((d) => !d.kinds.includes('other'));
  const unused = [...(spec.spec.derived ?? [])];
  const missing: string[] = [];
  for (const expected of expressible) {
    const index = unused.findIndex((actual) => derivedMatches(expected, actual, spec.spec.entities));
    if (index >= 0) unused.splice(index, 1);
    else missing.push(expected.about);
  }
  return {
    expected: expressible.length,
    found: expressible.length - missing.length,
    missing,
    beyond: item.derived.length - expressible.length,
  };
}

export function scorePrompt(item: EvalCase, outcome: Outcome): PromptScore {
  const required = item.entities.filter((e) => !e.optional);
  const base: PromptScore = {
    id: item.id,
    split: item.split,
    prompt: item.prompt,
    outOfScope: item.outOfScope,
    built: outcome.kind === 'built',
    actualEntities: [],
    entities: { expected: required.length, found: 0, missing: [] },
    extraEntities: [],
    fields: { expected: 0, found: 0, missing: [], mismatched: [] },
    relations: { expected: 0, found: 0, missing: [] },
    ranges: { expected: 0, found: 0, missing: [] },
    derived: {
      expected: item.derived.filter((d) => !d.kinds.includes('other')).length,
      found: 0,
      missing: item.derived.filter((d) => !d.kinds.includes('other')).map((d) => d.about),
      beyond: item.derived.filter((d) => d.kinds.includes('other')).length,
    },
    unrelated: false,
  };
  if (outcome.kind !== 'built') {
    if (outcome.kind === 'refused') base.refusal = outcome.message;
    else base.crash = outcome.message;
    base.entities.missing = required.map((e) => e.names[0] ?? '?');
    for (const entity of required) {
      for (const field of entity.fields) {
        const label = `${entity.names[0] ?? '?'}.${field.names[0] ?? '?'}`;
        base.fields.expected += 1;
        base.fields.missing.push(label);
        if (field.types.length === 0 && field.refs.length > 0) {
          base.relations.expected += 1;
          base.relations.missing.push(label);
        }
        if (field.min !== undefined || field.max !== undefined) {
          base.ranges.expected += 1;
          base.ranges.missing.push(label);
        }
      }
    }
    return base;
  }
  const spec = outcome.spec;
  if (outcome.validation) base.validated = outcome.validation.ok;
  if (outcome.validation?.failure) base.validationFailure = outcome.validation.failure;
  base.actualEntities = spec.entities.map((e) => e.name);
  const matched = matchEntities(item.entities, spec.entities);
  const matchedNames = new Set([...matched.values()].map((e) => e.name));
  base.extraEntities = spec.entities.filter((e) => !matchedNames.has(e.name)).map((e) => e.name);
  for (const [index, expected] of item.entities.entries()) {
    const entity = matched.get(index);
    if (expected.optional && !entity) continue;
    if (!expected.optional) {
      if (entity) base.entities.found += 1;
      else base.entities.missing.push(expected.names[0] ?? '?');
    }
    for (const field of expected.fields) {
      const label = `${entity?.name ?? expected.names[0] ?? '?'}.${field.names[0] ?? '?'}`;
      const verdict = entity
        ? judgeField(field, entity, { expected: item.entities, matched, spec })
        : {
            found: false,
            ...(field.types.length === 0 && field.refs.length > 0 ? { relation: false } : {}),
            ...(field.min !== undefined || field.max !== undefined ? { range: false } : {}),
          };
      base.fields.expected += 1;
      if (verdict.found) base.fields.found += 1;
      else if (verdict.mismatch) base.fields.mismatched.push(verdict.mismatch);
      else base.fields.missing.push(label);
      if (verdict.relation !== undefined) {
        base.relations.expected += 1;
        if (verdict.relation) base.relations.found += 1;
        else base.relations.missing.push(label);
      }
      if (verdict.range !== undefined) {
        base.ranges.expected += 1;
        if (verdict.range) base.ranges.found += 1;
        else base.ranges.missing.push(label);
      }
    }
  }
  base.derived = scoreDerived(item, outcome);
  base.unrelated = item.outOfScope || (required.length > 0 && matched.size === 0);
  return base;
}

export interface Measure {
  found: number;
  expected: number;
  /** found / expected; 1 when nothing was expected. */
  rate: number;
}

const measure = (found: number, expected: number): Measure => ({
  found,
  expected,
  rate: expected === 0 ? 1 : found / expected,
});

export interface Totals {
  prompts: number;
  inScope: number;
  /** Apps whose every validation step passed, over in-scope prompts; absent without validation. */
  validation?: Measure;
  entityRecall: Measure;
  /** Built entities that match an expected one, over all built entities. */
  entityPrecision: Measure;
  fieldRecall: Measure;
  typeMismatches: number;
  relationRecall: Measure;
  rangeRecall: Measure;
  /** Out-of-scope prompts answered with a refusal. */
  outOfScopeRefused: Measure;
  /** In-scope prompts the builder refused. */
  refusedInScope: number;
  /** Prompts where the builder failed for another reason. */
  crashed: number;
  unrelated: number;
  /** In-scope prompts built with every expected entity and field. */
  complete: Measure;
  /** Expected derived values a Spec can carry, found in the spec. */
  derivedRecall: Measure;
  /** Expected derived values beyond the Spec's aggregates (ratios, rules, reports). */
  derivedBeyond: number;
}

/** `validationRan`: whether apps were generated and validated (false for `--no-validate`). */
export function summarize(
  scores: readonly PromptScore[],
  validationRan = scores.some((s) => s.validated !== undefined),
): Totals {
  const inScope = scores.filter((s) => !s.outOfScope);
  const sum = (pick: (s: PromptScore) => number) => inScope.reduce((n, s) => n + pick(s), 0);
  const actual = sum((s) => s.actualEntities.length);
  const outOfScope = scores.filter((s) => s.outOfScope);
  return {
    prompts: scores.length,
    inScope: inScope.length,
    ...(validationRan
      ? { validation: measure(inScope.filter((s) => s.validated === true).length, inScope.length) }
      : {}),
    entityRecall: measure(
      sum((s) => s.entities.found),
      sum((s) => s.entities.expected),
    ),
    entityPrecision: measure(actual - sum((s) => s.extraEntities.length), actual),
    fieldRecall: measure(
      sum((s) => s.fields.found),
      sum((s) => s.fields.expected),
    ),
    typeMismatches: sum((s) => s.fields.mismatched.length),
    relationRecall: measure(
      sum((s) => s.relations.found),
      sum((s) => s.relations.expected),
    ),
    rangeRecall: measure(
      sum((s) => s.ranges.found),
      sum((s) => s.ranges.expected),
    ),
    outOfScopeRefused: measure(outOfScope.filter((s) => s.refusal !== undefined).length, outOfScope.length),
    refusedInScope: inScope.filter((s) => s.refusal !== undefined).length,
    crashed: scores.filter((s) => s.crash !== undefined).length,
    unrelated: scores.filter((s) => s.unrelated).length,
    complete: measure(
      inScope.filter(
        (s) => s.built && s.entities.missing.length === 0 && s.fields.found === s.fields.expected,
      ).length,
      inScope.length,
    ),
    derivedRecall: measure(
      sum((s) => s.derived.found),
      sum((s) => s.derived.expected),
    ),
    derivedBeyond: sum((s) => s.derived.beyond),
  };
}

/** The bar (#16): apps validate, entities and fields land, nothing unrelated is built. */
export const TARGETS = { validation: 0.95, entityRecall: 0.95, fieldRecall: 0.9, unrelated: 0 } as const;

export function meetsTargets(totals: Totals): boolean {
  return (
    (totals.validation === undefined || totals.validation.rate >= TARGETS.validation) &&
    totals.entityRecall.rate >= TARGETS.entityRecall &&
    totals.fieldRecall.rate >= TARGETS.fieldRecall &&
    totals.unrelated <= TARGETS.unrelated
  );
}
