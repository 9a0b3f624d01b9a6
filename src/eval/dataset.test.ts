import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { EvalDatasetSchema, parseEvalDataset } from './dataset.js';

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url), 'utf8'));

describe('tests/fixtures/eval-prompts.json', () => {
  const cases = parseEvalDataset(read('eval-prompts.json'));
  const inScope = cases.filter((c) => !c.outOfScope);

  it('parses against its schema', () => {
    expect(EvalDatasetSchema.safeParse(read('eval-prompts.json')).success).toBe(true);
  });

  it('has at least 100 in-scope and 10 out-of-scope prompts', () => {
    expect(inScope.length).toBeGreaterThanOrEqual(100);
    expect(cases.length - inScope.length).toBeGreaterThanOrEqual(10);
  });

  it('keeps 25–40 % of prompts, in and out of scope, in the holdout split', () => {
    const share = (list: typeof cases) => list.filter((c) => c.split === 'holdout').length / list.length;
    expect(share(cases)).toBeGreaterThanOrEqual(0.25);
    expect(share(cases)).toBeLessThanOrEqual(0.4);
    expect(share(cases.filter((c) => c.outOfScope))).toBeGreaterThan(0);
  });

  it('expects fields, not only entity names, and several prompts per domain', () => {
    expect(inScope.filter((c) => c.entities.some((e) => e.fields.length > 0)).length).toBeGreaterThan(100);
    const perDomain = new Map<string, number>();
    for (const c of inScope) perDomain.set(c.domain, (perDomain.get(c.domain) ?? 0) + 1);
    expect([...perDomain.values()].filter((n) => n >= 3).length).toBeGreaterThanOrEqual(15);
  });

  it('points every pure reference at an entity the same prompt expects', () => {
    const dangling = inScope.flatMap((c) =>
      c.entities.flatMap((e) =>
        e.fields
          .filter((f) => f.types.length === 0)
          .flatMap((f) => f.refs)
          .filter((ref) => !c.entities.some((other) => other.names.includes(ref)))
          .map((ref) => `${c.id}: ${e.names[0] ?? '?'} → ${ref}`),
      ),
    );
    expect(dangling).toEqual([]);
  });

  it('structures every derived value, each Spec-expressible one on an entity the prompt expects', () => {
    const derived = inScope.flatMap((c) => c.derived.map((d) => ({ c, d })));
    expect(derived.length).toBeGreaterThanOrEqual(30);
    const astray = derived
      .filter(({ d }) => !d.kinds.includes('other'))
      .filter(({ c, d }) => !c.entities.some((e) => e.names.some((n) => d.entities.includes(n))))
      .map(({ c, d }) => `${c.id}: ${d.about}`);
    expect(astray).toEqual([]);
  });

  it('keeps the parser’s own fixture prompts out of the holdout split', () => {
    const tuned = new Set(
      (read('prompts.json') as Array<{ prompt: string }>).map((p) => p.prompt.toLowerCase().trim()),
    );
    expect(cases.filter((c) => c.split === 'holdout' && tuned.has(c.prompt.toLowerCase().trim()))).toEqual(
      [],
    );
  });
});

describe('parseEvalDataset', () => {
  it('still reads the entity-only prompts.json as tune cases', () => {
    const legacy = parseEvalDataset(read('prompts.json'));
    expect(legacy.length).toBeGreaterThan(30);
    expect(legacy.every((c) => c.split === 'tune' && c.entities.every((e) => e.fields.length === 0))).toBe(
      true,
    );
  });

  it('rejects a derived value of an unknown kind', () => {
    expect(() =>
      parseEvalDataset({
        prompts: [
          {
            id: 'x',
            domain: 'd',
            split: 'tune',
            prompt: 'p',
            entities: [{ name: 'A' }],
            derived: [{ about: 'the median', kind: 'median', entity: 'A' }],
          },
        ],
      }),
    ).toThrow(/kinds separated by/);
  });

  it('rejects a malformed type class', () => {
    expect(() =>
      parseEvalDataset({
        prompts: [
          {
            id: 'x',
            domain: 'd',
            split: 'tune',
            prompt: 'p',
            entities: [{ name: 'A', fields: { b: 'string' } }],
          },
        ],
      }),
    ).toThrow(/type classes/);
  });
});
