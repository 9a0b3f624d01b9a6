import { describe, expect, it } from '@jest/globals';
import type { DerivedValue, Entity, Field } from '../core/domain/spec.js';
import { toEvalCase, type EvalCase, type EvalPrompt } from './dataset.js';
import {
  derivedMatches,
  matchEntities,
  meetsTargets,
  namesMatch,
  scorePrompt,
  summarize,
  typeCompatible,
  type Outcome,
} from './metrics.js';

function field(name: string, type: Field['type'], extra: Partial<Field> = {}): Field {
  return { name, label: name, type, required: false, unique: false, ...extra };
}

function entity(name: string, fields: Field[] = [field('name', 'string')]): Entity {
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return { name, plural: `${lower}s`, label: name, pluralLabel: `${name}s`, displayField: 'name', fields };
}

function evalCase(item: Partial<EvalPrompt> & Pick<EvalPrompt, 'entities'>): EvalCase {
  return toEvalCase({
    id: 't',
    domain: 'test',
    split: 'tune',
    prompt: 'p',
    outOfScope: false,
    derived: [],
    ...item,
  });
}

const built = (...entities: Entity[]): Outcome => ({ kind: 'built', spec: { entities } });

const movieNight = evalCase({
  entities: [
    { name: 'Film|Movie', optional: false, fields: {} },
    {
      name: 'Rating|Vote',
      optional: false,
      fields: { 'film|movie': 'ref:Film', 'points|score': { type: 'number', min: 1, max: 10 } },
    },
    { name: 'Person|Friend', optional: true, fields: {} },
  ],
  derived: [
    {
      about: 'average points per film',
      kind: 'average',
      entity: 'Rating|Vote',
      field: 'points|score',
      per: 'film|movie',
    },
    { about: 'who owes whom', kind: 'other', entity: 'Payment' },
  ],
});

describe('namesMatch', () => {
  it('accepts any alternative, case-insensitively, singular or plural', () => {
    expect(namesMatch(['Film', 'Movie'], 'Movies')).toBe(true);
    expect(namesMatch(['Film', 'Movie'], 'film')).toBe(true);
    expect(namesMatch(['StockMovement'], 'stockMovements')).toBe(true);
    expect(namesMatch(['Category'], 'Categories')).toBe(true);
    expect(namesMatch(['Person'], 'People')).toBe(true);
    expect(namesMatch(['Box'], 'Boxes')).toBe(true);
  });

  it('rejects other words', () => {
    expect(namesMatch(['Film'], 'Filmmaker')).toBe(false);
    expect(namesMatch(['Level'], 'WaterLevelReading')).toBe(false);
  });
});

describe('typeCompatible', () => {
  it('maps spec types onto the type classes a reader writes', () => {
    expect(typeCompatible(['text'], 'email')).toBe(true);
    expect(typeCompatible(['number'], 'integer')).toBe(true);
    expect(typeCompatible(['number'], 'money')).toBe(false);
    expect(typeCompatible(['money'], 'integer')).toBe(true);
    expect(typeCompatible(['date'], 'datetime')).toBe(true);
    expect(typeCompatible(['datetime'], 'date')).toBe(false);
    expect(typeCompatible(['boolean'], 'string')).toBe(false);
    expect(typeCompatible(['text', 'enum'], 'enum')).toBe(true);
  });
});

describe('matchEntities', () => {
  it('finds a partner for each expected entity when alternatives overlap', () => {
    const expected = evalCase({
      entities: [
        { name: 'Member|Borrower', optional: false, fields: {} },
        { name: 'Student|Member', optional: false, fields: {} },
      ],
    }).entities;
    const matched = matchEntities(expected, [entity('Member'), entity('Student')]);
    expect(matched.get(0)?.name).toBe('Member');
    expect(matched.get(1)?.name).toBe('Student');
  });
});

describe('scorePrompt', () => {
  it('counts entities, fields, relations and ranges found under other names and plurals', () => {
    const score = scorePrompt(
      movieNight,
      built(
        entity('Movie'),
        entity('Vote', [
          field('movieId', 'reference', { target: 'Movie' }),
          field('score', 'integer', { min: 1, max: 10 }),
        ]),
      ),
    );
    expect(score.entities).toEqual({ expected: 2, found: 2, missing: [] });
    expect(score.extraEntities).toEqual([]);
    expect(score.fields.found).toBe(2);
    expect(score.relations).toEqual({ expected: 1, found: 1, missing: [] });
    expect(score.ranges).toEqual({ expected: 1, found: 1, missing: [] });
    expect(score.derived).toEqual({ expected: 1, found: 0, missing: ['average points per film'], beyond: 1 });
    expect(score.unrelated).toBe(false);
  });

  it('reports a field of the wrong type as a mismatch, not as found', () => {
    const score = scorePrompt(
      movieNight,
      built(
        entity('Film'),
        entity('Rating', [field('film', 'reference', { target: 'Film' }), field('points', 'string')]),
      ),
    );
    expect(score.fields.found).toBe(1);
    expect(score.fields.mismatched).toEqual([
      { field: 'Rating.points', expected: 'number', actual: 'string' },
    ]);
    expect(score.ranges.found).toBe(0);
  });

  it('accepts a relation held on the other side as a many-to-many list', () => {
    const item = evalCase({
      entities: [
        { name: 'Project', optional: false, fields: {} },
        { name: 'Task', optional: false, fields: { project: 'ref:Project' } },
      ],
    });
    const score = scorePrompt(
      item,
      built(entity('Project', [field('tasks', 'references', { target: 'Task' })]), entity('Task')),
    );
    expect(score.relations.found).toBe(1);
  });

  it('lists extra entities, skips missing optional ones and flags an unrelated app', () => {
    const extra = scorePrompt(movieNight, built(entity('Film'), entity('Rating'), entity('Belonging')));
    expect(extra.extraEntities).toEqual(['Belonging']);
    expect(extra.entities.missing).toEqual([]);
    const unrelated = scorePrompt(movieNight, built(entity('Item')));
    expect(unrelated.unrelated).toBe(true);
    expect(unrelated.entities.missing).toEqual(['Film', 'Rating']);
    expect(unrelated.fields.missing).toEqual(['Rating.film', 'Rating.points']);
  });

  it('treats an optional entity that was built as neither missing nor extra', () => {
    const score = scorePrompt(movieNight, built(entity('Film'), entity('Rating'), entity('Friend')));
    expect(score.extraEntities).toEqual([]);
    expect(score.entities.expected).toBe(2);
  });
});

describe('summarize', () => {
  const outOfScope = evalCase({ outOfScope: true, entities: [] });

  it('counts precision over every built entity and out-of-scope prompts by refusal', () => {
    const totals = summarize([
      scorePrompt(movieNight, built(entity('Film'), entity('Rating'), entity('Belonging'), entity('Cent'))),
      scorePrompt(outOfScope, {
        kind: 'refused',
        message: 'offline builds make data apps; a game needs a model',
      }),
      scorePrompt({ ...outOfScope, id: 'oos-2' }, built(entity('Player'))),
    ]);
    expect(totals.entityRecall.rate).toBe(1);
    expect(totals.entityPrecision).toEqual({ found: 2, expected: 4, rate: 0.5 });
    expect(totals.outOfScopeRefused).toEqual({ found: 1, expected: 2, rate: 0.5 });
    expect(totals.unrelated).toBe(1);
    expect(totals.validation).toBeUndefined();
    expect(totals.derivedRecall).toEqual({ found: 0, expected: 1, rate: 0 });
    expect(totals.derivedBeyond).toBe(1);
    expect(meetsTargets(totals)).toBe(false);
  });

  it('counts an in-scope refusal as missing everything and as a failed validation', () => {
    const good = scorePrompt(movieNight, {
      kind: 'built',
      spec: {
        entities: [
          entity('Film'),
          entity('Rating', [
            field('film', 'reference', { target: 'Film' }),
            field('points', 'integer', { min: 1, max: 10 }),
          ]),
        ],
      },
      validation: { ok: true, steps: { build: true } },
    });
    const refused = scorePrompt({ ...movieNight, id: 't2' }, { kind: 'refused', message: 'no' });
    const totals = summarize([good, refused]);
    expect(totals.validation).toEqual({ found: 1, expected: 2, rate: 0.5 });
    expect(totals.entityRecall.rate).toBe(0.5);
    expect(totals.fieldRecall).toEqual({ found: 2, expected: 4, rate: 0.5 });
    expect(totals.refusedInScope).toBe(1);
    expect(totals.unrelated).toBe(0);
    expect(meetsTargets(summarize([good]))).toBe(true);
  });

  it('does not count a crash as a refusal', () => {
    const totals = summarize([
      scorePrompt(evalCase({ outOfScope: true, entities: [] }), {
        kind: 'crashed',
        message: 'internal: boom',
      }),
    ]);
    expect(totals.outOfScopeRefused.found).toBe(0);
    expect(totals.crashed).toBe(1);
    expect(totals.unrelated).toBe(0);
  });
});

describe('derived values', () => {
  const film = entity('Film');
  const rating = entity('Rating', [
    field('points', 'integer'),
    field('filmId', 'reference', { target: 'Film' }),
    field('when', 'date'),
  ]);
  const average: DerivedValue = {
    kind: 'average',
    name: 'averagePoints',
    label: 'Average points per film',
    entity: 'Rating',
    field: 'points',
    per: { field: 'filmId' },
  };
  const [expected] = movieNight.derived;
  if (!expected) throw new Error('the movie night case expects a derived value');
  const withDerived = (...derived: DerivedValue[]): Outcome => ({
    kind: 'built',
    spec: { entities: [film, rating], derived },
  });

  it('matches kind, entity, field and the group (a reference answers to its target)', () => {
    expect(derivedMatches(expected, average, [film, rating])).toBe(true);
    expect(derivedMatches(expected, { ...average, kind: 'sum' }, [film, rating])).toBe(false);
    expect(derivedMatches(expected, { ...average, entity: 'Film' }, [film, rating])).toBe(false);
    expect(derivedMatches(expected, { ...average, per: undefined }, [film, rating])).toBe(false);
    const perMonth = { ...average, per: { field: 'when', period: 'month' as const } };
    expect(derivedMatches(expected, perMonth, [film, rating])).toBe(false);
    expect(derivedMatches({ ...expected, per: ['month'] }, perMonth, [film, rating])).toBe(true);
    // no grouping named: any grouping, or none, will do
    expect(derivedMatches({ ...expected, per: [] }, { ...average, per: undefined }, [film, rating])).toBe(
      true,
    );
  });

  it('reads a flag by its condition field', () => {
    const overdue: DerivedValue = {
      kind: 'flag',
      name: 'overdue',
      label: 'Overdue',
      entity: 'Rating',
      condition: { field: 'when', op: '<', value: 'today' },
    };
    const flag = {
      about: 'overdue',
      kinds: ['flag' as const],
      entities: ['Rating'],
      fields: ['when'],
      per: [],
    };
    expect(derivedMatches(flag, overdue, [rating])).toBe(true);
    expect(derivedMatches({ ...flag, fields: ['dueDate'] }, overdue, [rating])).toBe(false);
  });

  it('scores expressible values only, each spec value answering one expectation', () => {
    const found = scorePrompt(movieNight, withDerived(average));
    expect(found.derived).toEqual({ expected: 1, found: 1, missing: [], beyond: 1 });
    const twice = scorePrompt({ ...movieNight, derived: [expected, expected] }, withDerived(average));
    expect(twice.derived).toEqual({ expected: 2, found: 1, missing: ['average points per film'], beyond: 0 });
    const none = scorePrompt(movieNight, built(film, rating));
    expect(none.derived.missing).toEqual(['average points per film']);
    const totals = summarize([found, none]);
    expect(totals.derivedRecall).toEqual({ found: 1, expected: 2, rate: 0.5 });
    expect(totals.derivedBeyond).toBe(2);
  });
});
