/**
 * The fidelity eval's dataset: prompts written the way people type them, each with the entities,
 * fields, relations and ranges a human reader expects. Alternatives are written `A|B`.
 */
import { z } from 'zod';
import { DERIVED_KINDS } from '../core/domain/spec.js';

export const TYPE_CLASSES = ['text', 'number', 'money', 'boolean', 'date', 'datetime', 'enum'] as const;
export type TypeClass = (typeof TYPE_CLASSES)[number];

/** `text`, `number|money`, `ref:Owner`, `ref:Vet|text`: one or more accepted type classes. */
const typeExpression = z
  .string()
  .min(1)
  .refine(
    (value) =>
      value
        .split('|')
        .every(
          (part) =>
            (TYPE_CLASSES as readonly string[]).includes(part) || /^ref:[A-Z][A-Za-z0-9]*$/.test(part),
        ),
    'must be type classes separated by | (text, number, money, boolean, date, datetime, enum, ref:Entity)',
  );

const alternatives = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9]+(\|[A-Za-z0-9]+)*$/, 'must be names separated by |');

const FieldExpectationSchema = z.union([
  typeExpression,
  z.object({ type: typeExpression, min: z.number().optional(), max: z.number().optional() }),
]);

/** `other`: what a reader expects is beyond the Spec's aggregates (a ratio, a rule, a report). */
export const DERIVED_EXPECTATION_KINDS = [...DERIVED_KINDS, 'other'] as const;
export type DerivedExpectationKind = (typeof DERIVED_EXPECTATION_KINDS)[number];

/**
 * A derived value as a reader expects it: `{"about": "average points per film", "kind": "average",
 * "entity": "Rating|Vote", "field": "points|score", "per": "film|movie"}`. `field` is the aggregated
 * field (a flag's condition field); `per` names the group: an entity referenced, a field, or a period.
 */
const DerivedExpectationSchema = z
  .object({
    about: z.string().min(1),
    kind: z
      .string()
      .refine(
        (value) =>
          value.split('|').every((k) => (DERIVED_EXPECTATION_KINDS as readonly string[]).includes(k)),
        `must be kinds separated by | (${DERIVED_EXPECTATION_KINDS.join(', ')})`,
      ),
    entity: alternatives,
    field: alternatives.optional(),
    per: alternatives.optional(),
  })
  .strict();

const EntityExpectationSchema = z.object({
  name: alternatives,
  /** Not counted in recall when absent, not counted against precision when present. */
  optional: z.boolean().default(false),
  fields: z.record(alternatives, FieldExpectationSchema).default({}),
});

export const EvalPromptSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    domain: z.string().min(1),
    split: z.enum(['tune', 'holdout']),
    prompt: z.string().min(1),
    /** The right answer is a refusal that explains the offline builder's limits, never an app. */
    outOfScope: z.boolean().default(false),
    entities: z.array(EntityExpectationSchema).default([]),
    /** Computed values the prompt names ("longest streak"). */
    derived: z.array(DerivedExpectationSchema).default([]),
  })
  .superRefine((item, ctx) => {
    if (!item.outOfScope && !item.entities.some((e) => !e.optional))
      ctx.addIssue({ code: 'custom', message: `${item.id}: an in-scope prompt expects at least one entity` });
    if (item.outOfScope && item.entities.length > 0)
      ctx.addIssue({ code: 'custom', message: `${item.id}: an out-of-scope prompt expects no entities` });
  });
export type EvalPrompt = z.infer<typeof EvalPromptSchema>;

export const EvalDatasetSchema = z
  .object({ about: z.string().optional(), prompts: z.array(EvalPromptSchema).min(1) })
  .superRefine((dataset, ctx) => {
    const ids = new Set(dataset.prompts.map((p) => p.id));
    if (ids.size !== dataset.prompts.length)
      ctx.addIssue({ code: 'custom', message: 'prompt ids must be unique' });
  });

/** The first evaluation set (tests/fixtures/prompts.json): entity names only. */
const LegacyPromptsSchema = z.array(z.object({ prompt: z.string(), expectEntities: z.array(z.string()) }));

export interface ExpectedField {
  names: string[];
  types: TypeClass[];
  /** Entity names (as written after `ref:`) a reference may point at. */
  refs: string[];
  min?: number;
  max?: number;
}

export interface ExpectedDerived {
  about: string;
  kinds: DerivedExpectationKind[];
  entities: string[];
  fields: string[];
  /** Entity names, field names or periods the value may be grouped by; empty: grouping optional. */
  per: string[];
}

export interface ExpectedEntity {
  names: string[];
  optional: boolean;
  fields: ExpectedField[];
}

/** One prompt with its expectations split into lists, ready to score. */
export interface EvalCase {
  id: string;
  domain: string;
  split: 'tune' | 'holdout';
  prompt: string;
  outOfScope: boolean;
  entities: ExpectedEntity[];
  derived: ExpectedDerived[];
}

export function toExpectedField(
  names: string,
  expectation: z.infer<typeof FieldExpectationSchema>,
): ExpectedField {
  const { type, min, max } = typeof expectation === 'string' ? { type: expectation } : expectation;
  const parts = type.split('|');
  return {
    names: names.split('|'),
    types: parts.filter((p): p is TypeClass => (TYPE_CLASSES as readonly string[]).includes(p)),
    refs: parts.filter((p) => p.startsWith('ref:')).map((p) => p.slice('ref:'.length)),
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
  };
}

export function toEvalCase(item: EvalPrompt): EvalCase {
  return {
    id: item.id,
    domain: item.domain,
    split: item.split,
    prompt: item.prompt,
    outOfScope: item.outOfScope,
    derived: item.derived.map((d) => ({
      about: d.about,
      kinds: d.kind.split('|') as DerivedExpectationKind[],
      entities: d.entity.split('|'),
      fields: d.field?.split('|') ?? [],
      per: d.per?.split('|') ?? [],
    })),
    entities: item.entities.map((e) => ({
      names: e.name.split('|'),
      optional: e.optional,
      fields: Object.entries(e.fields).map(([names, expectation]) => toExpectedField(names, expectation)),
    })),
  };
}

/** Reads either dataset format; the legacy list becomes entity-only cases in the tune split. */
export function parseEvalDataset(json: unknown): EvalCase[] {
  const legacy = LegacyPromptsSchema.safeParse(json);
  if (legacy.success)
    return legacy.data.map((item, index) => ({
      id: `legacy-${index + 1}`,
      domain: 'legacy',
      split: 'tune',
      prompt: item.prompt,
      outOfScope: false,
      derived: [],
      entities: item.expectEntities.map((name) => ({ names: [name], optional: false, fields: [] })),
    }));
  return EvalDatasetSchema.parse(json).prompts.map(toEvalCase);
}
