import { describe, expect, it } from '@jest/globals';
import { SpecSchema, type DerivedValue } from './spec.js';
import { summarizeSpec } from './spec-summary.js';

const base = {
  appName: 'Films',
  slug: 'films',
  description: 'Films and the points we give them.',
  archetype: 'general',
  features: { auth: false, search: true, pagination: true, sorting: true },
  nonFunctional: [],
  entities: [
    {
      name: 'Film',
      plural: 'films',
      label: 'Film',
      pluralLabel: 'Films',
      displayField: 'title',
      fields: [
        { name: 'title', label: 'Title', type: 'string', required: true, unique: true },
        { name: 'watchedOn', label: 'Watched on', type: 'date', required: false },
      ],
    },
    {
      name: 'Rating',
      plural: 'ratings',
      label: 'Rating',
      pluralLabel: 'Ratings',
      displayField: 'points',
      fields: [
        { name: 'points', label: 'Points', type: 'integer', required: true, min: 1, max: 10 },
        { name: 'film', label: 'Film', type: 'reference', target: 'Film', required: true },
        { name: 'note', label: 'Note', type: 'text', required: false },
        { name: 'kind', label: 'Kind', type: 'enum', enumValues: ['home', 'cinema'], required: true },
      ],
    },
  ],
};

const withDerived = (...derived: unknown[]) => SpecSchema.safeParse({ ...base, derived });
const messages = (result: ReturnType<typeof withDerived>) =>
  result.success ? [] : result.error.issues.map((i) => i.message);

describe('SpecSchema derived values', () => {
  it('defaults to none, so specs written before them still parse', () => {
    expect(SpecSchema.parse(base).derived).toEqual([]);
  });

  it('accepts each kind with its own shape', () => {
    const derived: DerivedValue[] = [
      { kind: 'count', name: 'ratingCount', label: 'Ratings', entity: 'Rating' },
      {
        kind: 'average',
        name: 'averagePoints',
        label: 'Average points',
        entity: 'Rating',
        field: 'points',
        per: { field: 'film' },
      },
      {
        kind: 'sum',
        name: 'pointsPerKind',
        label: 'Points per kind',
        entity: 'Rating',
        field: 'points',
        per: { field: 'kind' },
      },
      { kind: 'max', name: 'lastWatched', label: 'Last watched', entity: 'Film', field: 'watchedOn' },
      { kind: 'latest', name: 'latestPoints', label: 'Latest points', entity: 'Rating', field: 'points' },
      { kind: 'streak', name: 'longestStreak', label: 'Longest streak', entity: 'Film', field: 'watchedOn' },
      {
        kind: 'count',
        name: 'filmsPerMonth',
        label: 'Films per month',
        entity: 'Film',
        per: { field: 'watchedOn', period: 'month' },
      },
      {
        kind: 'flag',
        name: 'lowScore',
        label: 'Low score',
        entity: 'Rating',
        condition: { field: 'points', op: '<', value: 3 },
      },
      {
        kind: 'flag',
        name: 'notYet',
        label: 'Upcoming',
        entity: 'Film',
        condition: { field: 'watchedOn', op: '>', value: 'today' },
      },
    ];
    const result = withDerived(...derived);
    expect(messages(result)).toEqual([]);
    expect(result.data?.derived).toEqual(derived);
  });

  it('rejects a kind without the field its shape needs', () => {
    expect(withDerived({ kind: 'sum', name: 'total', label: 'Total', entity: 'Rating' }).success).toBe(false);
    expect(withDerived({ kind: 'flag', name: 'low', label: 'Low', entity: 'Rating' }).success).toBe(false);
    expect(
      withDerived({ kind: 'median', name: 'm', label: 'M', entity: 'Rating', field: 'points' }).success,
    ).toBe(false);
  });

  it.each([
    [{ kind: 'count', name: 'n', label: 'N', entity: 'Review' }, 'unknown entity Review'],
    [{ kind: 'sum', name: 'n', label: 'N', entity: 'Rating', field: 'stars' }, 'Rating has no field stars'],
    [
      { kind: 'sum', name: 'n', label: 'N', entity: 'Rating', field: 'note' },
      'sum cannot read text field note',
    ],
    [
      { kind: 'streak', name: 'n', label: 'N', entity: 'Rating', field: 'points' },
      'streak cannot read integer',
    ],
    [
      { kind: 'average', name: 'n', label: 'N', entity: 'Rating', field: 'points', per: { field: 'points' } },
      'cannot group by the field it aggregates',
    ],
    [
      { kind: 'count', name: 'n', label: 'N', entity: 'Rating', per: { field: 'note' } },
      'cannot group by text field note',
    ],
    [
      { kind: 'count', name: 'n', label: 'N', entity: 'Film', per: { field: 'watchedOn' } },
      'groups by a period',
    ],
    [
      { kind: 'count', name: 'n', label: 'N', entity: 'Rating', per: { field: 'kind', period: 'day' } },
      'groups by a period',
    ],
    [{ kind: 'count', name: 'n', label: 'N', entity: 'Film', per: { field: 'title' } }, 'unique field title'],
    [
      {
        kind: 'flag',
        name: 'n',
        label: 'N',
        entity: 'Rating',
        condition: { field: 'points', op: '<', value: 'today' },
      },
      'compare a number field',
    ],
    [
      {
        kind: 'flag',
        name: 'n',
        label: 'N',
        entity: 'Film',
        condition: { field: 'watchedOn', op: '<', value: 3 },
      },
      'compare a number field',
    ],
  ])('rejects %j', (derived, problem) => {
    expect(messages(withDerived(derived)).join('; ')).toContain(problem);
  });

  it('rejects two values with one name', () => {
    const count = { kind: 'count', name: 'n', label: 'N', entity: 'Film' };
    expect(messages(withDerived(count, count))).toContain('derived value names must be unique');
  });
});

describe('summarizeSpec', () => {
  it('mentions derived values', () => {
    const spec = SpecSchema.parse({
      ...base,
      derived: [
        {
          kind: 'average',
          name: 'averagePoints',
          label: 'Average points',
          entity: 'Rating',
          field: 'points',
          per: { field: 'film' },
        },
        {
          kind: 'flag',
          name: 'lowScore',
          label: 'Low score',
          entity: 'Rating',
          condition: { field: 'points', op: '<', value: 3 },
        },
      ],
    });
    expect(summarizeSpec(spec)).toContain(
      '2 derived values: Average points (average points of Rating per film), Low score (flag Rating when points < 3)',
    );
    expect(summarizeSpec(SpecSchema.parse(base))).not.toContain('derived');
  });
});
