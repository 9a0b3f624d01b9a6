/**
 * Fast properties of the generator over many random specs (no toolchain): it never throws, and
 * every name it derives is unique where the app needs it unique. tests/integration/generated-apps
 * type-checks and lints a sample; these cover far more specs in a second.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { specArbitrary } from '../../../../tests/helpers/spec-arbitrary.js';
import { renderApp } from './index.js';
import { buildModel } from './model.js';

const RUNS = 30;
const SEED = 4_242;

const duplicates = (values: readonly string[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe('renderApp over random specs', () => {
  it('renders every spec, to relative POSIX paths', () => {
    fc.assert(
      fc.property(specArbitrary, (spec) => {
        for (const path of renderApp(spec).keys())
          expect(path).toMatch(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('derives unique code names, files, tables, routes and columns', () => {
    fc.assert(
      fc.property(specArbitrary, (spec) => {
        const model = buildModel(spec);
        const entities = model.entities;
        const tables = entities.flatMap((e) => [e.table, ...e.linkFields.map((f) => f.joinTable ?? '')]);
        expect({
          names: duplicates(entities.map((e) => e.name)),
          camels: duplicates(entities.map((e) => e.camel)),
          kebabs: duplicates(entities.map((e) => e.kebab)),
          routes: duplicates(entities.map((e) => e.route)),
          tables: duplicates([...tables, 'auth_users', 'auth_sessions']),
          columns: entities.flatMap((e) =>
            duplicates(['id', 'created_at', 'updated_at', ...e.columnFields.map((f) => f.column ?? '')]),
          ),
          constants: entities.flatMap((e) => duplicates(e.fields.map((f) => f.constant))),
        }).toEqual({ names: [], camels: [], kebabs: [], routes: [], tables: [], columns: [], constants: [] });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('computes every derived value once, under a unique element id, and tests each', () => {
    fc.assert(
      fc.property(specArbitrary, (spec) => {
        const model = buildModel(spec);
        const files = renderApp(spec);
        expect(duplicates(model.derived.map((d) => d.kebab))).toEqual([]);
        const compute = files.get('src/server/derived/compute.ts') ?? '';
        const apiTest = files.get('tests/api/derived-values.test.ts') ?? '';
        for (const derived of model.derived) {
          expect(compute).toContain(`      ${derived.name}: `);
          expect(apiTest).toContain(`.${derived.name}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('keeps numeric ranges consistent: min never above max, whole units for integers and money', () => {
    fc.assert(
      fc.property(specArbitrary, (spec) => {
        for (const field of buildModel(spec).entities.flatMap((e) => e.fields)) {
          if (field.min !== undefined && field.max !== undefined)
            expect(field.min).toBeLessThanOrEqual(field.max);
          const scale = field.type === 'integer' ? 1 : field.type === 'money' ? 100 : undefined;
          for (const bound of [field.min, field.max]) {
            if (bound !== undefined && scale !== undefined)
              expect(Math.abs(bound * scale - Math.round(bound * scale))).toBeLessThan(1e-6);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
