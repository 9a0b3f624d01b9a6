/**
 * fast-check arbitraries for valid Specs, biased towards what breaks generators: names that clash with
 * the generated code's own identifiers, odd plurals, acronyms, digits, fields named like entities,
 * self references, two relations to one target, many-to-many both ways, every field type, ranges,
 * and derived values of every kind (grouped by references, options, yes/no and periods; flags).
 * Every spec is checked against SpecSchema, so an invalid one is a bug here, not in the generator.
 */
import fc from 'fast-check';
import {
  ARCHETYPES,
  DERIVED_KINDS,
  DERIVED_PERIODS,
  derivedProblem,
  type DerivedValue,
  type Entity,
  FIELD_TYPES,
  RESERVED_ENTITY_NAMES,
  RESERVED_FIELD_NAMES,
  type FieldType,
  type Spec,
  SpecSchema,
} from '../../src/core/domain/spec.js';

/** PascalCase words: odd plurals, acronyms, DOM/Node globals, and names the generated code uses itself. */
const ENTITY_WORDS = [
  'Person',
  'Child',
  'Status',
  'Data',
  'Category',
  'Box',
  'Series',
  'News',
  'Index',
  'Entry',
  'Query',
  'Item',
  'Task',
  'User',
  'Session',
  'Token',
  'Label',
  'Title',
  'Value',
  'Input',
  'Option',
  'Link',
  'Field',
  'Fixtures',
  'Test',
  'TestContext',
  'Row',
  'Column',
  'Table',
  'Health',
  'Auth',
  'AuthUser',
  'Sample',
  'Image',
  'Text',
  'Range',
  'Location',
  'Storage',
  'Buffer',
  'Fragment',
  'Component',
  'Props',
  'State',
  'ApiError',
  'ErrorBanner',
  'FormField',
  'SearchBox',
  'Pagination',
  'ListQuery',
  'Params',
  'SqlValue',
  'Plugin',
  'FieldErrors',
  'Classroom',
  'Klass',
  'ABTest',
  'AbTest',
  'HTTPRequest',
  'IPAddress',
  'X',
  'A1',
  'Item2',
  'V2Item',
];

/** camelCase field names: everyday ones, locals of the generated code, SQL keywords, acronyms. */
const FIELD_WORDS = [
  'name',
  'title',
  'status',
  'data',
  'person',
  'people',
  'value',
  'values',
  'label',
  'labels',
  'type',
  'kind',
  'items',
  'input',
  'options',
  'option',
  'errors',
  'error',
  'state',
  'set',
  'control',
  'submitting',
  'initial',
  'onSaved',
  'onCancel',
  'onEdit',
  'key',
  'event',
  'sample',
  'exact',
  'row',
  'rows',
  'n',
  'next',
  'fixtures',
  'ctx',
  'res',
  'created',
  'db',
  'router',
  'repository',
  'query',
  'sort',
  'page',
  'pageSize',
  'total',
  'count',
  'q',
  'version',
  'reload',
  'order',
  'group',
  'select',
  'from',
  'where',
  'limit',
  'offset',
  'table',
  'index',
  'check',
  'references',
  'url',
  'email',
  'dueOn',
  'createdOn',
  'updatedBy',
  'ownerId',
  'owner',
  'aBC',
  'aBc',
  'html5',
  'x',
  'z9',
  'iPAddress',
  'rating',
  'score',
  'price',
  'isDone',
];

const ENUM_VALUES = [
  'todo',
  'in-progress',
  'in_progress',
  'done',
  'on-hold',
  'a',
  'b',
  '1',
  '10',
  '2nd',
  'x-1_y',
  'true',
  'false',
  'null',
  'constructor',
  'to-string',
  'a--b',
  'very-long-enum-value-with-dashes-0123456',
];

const LABELS = [
  'Name',
  'Due date',
  'Status',
  'Price (€)',
  'Rating "stars"',
  "Owner's e-mail",
  '`${x}` </script>',
  'Ünïcödé ✓',
  'A',
  'A very long label that goes on and on to reach the sixty lim',
];

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const validEntityName = (name: string) =>
  /^[A-Z][a-zA-Z0-9]*$/.test(name) &&
  name.length <= 40 &&
  !RESERVED_ENTITY_NAMES.has(name) &&
  !RESERVED_FIELD_NAMES.has(lowerFirst(name));

const entityNameArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ENTITY_WORDS) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...ENTITY_WORDS), fc.constantFrom(...ENTITY_WORDS))
        .map(([a, b]) => a + b),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...ENTITY_WORDS), fc.integer({ min: 0, max: 2024 }))
        .map(([a, n]) => `${a}${n}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...ENTITY_WORDS)
        .map((a) => `${a}WithAVeryLongDescriptiveNameXyz`.slice(0, 40)),
    },
  )
  .filter(validEntityName);

const IRREGULAR_PLURALS: Record<string, string> = {
  Person: 'people',
  Child: 'children',
  Status: 'statuses',
  Data: 'dataItems',
  Category: 'categories',
  Box: 'boxes',
  Series: 'seriesList',
  News: 'newsItems',
  Index: 'indices',
  Entry: 'entries',
  Query: 'queries',
};

type PluralStyle = 'regular' | 'list' | 'all';

function pluralOf(name: string, style: PluralStyle): string {
  const camel = lowerFirst(name);
  if (style === 'list') return `${camel}List`.slice(0, 40);
  if (style === 'all') return `all${name}s`.slice(0, 40);
  return IRREGULAR_PLURALS[name] ?? `${camel}s`.slice(0, 40);
}

interface FieldDraft {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  enumValues?: string[];
  targetIndex: number;
  range: { min?: number; max?: number } | null;
}

const NUMERIC: ReadonlySet<FieldType> = new Set<FieldType>(['integer', 'number', 'money']);

const rangeArb = (type: FieldType): fc.Arbitrary<{ min?: number; max?: number } | null> =>
  NUMERIC.has(type)
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        {
          weight: 3,
          arbitrary: fc.constantFrom({ min: 1, max: 5 }, { min: 1, max: 10 }, { min: 0, max: 100 }),
        },
        {
          weight: 2,
          arbitrary: fc.constantFrom({ min: 0 }, { max: 1000 }, { min: -10, max: 10 }, { min: 3, max: 3 }),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 5000 }))
            .map(([min, span]) =>
              type === 'integer' ? { min, max: min + span } : { min: min / 4, max: (min + span) / 4 },
            ),
        },
      )
    : fc.constant(null);

const fieldDraftArb = (entityCount: number, entityNames: readonly string[]): fc.Arbitrary<FieldDraft> =>
  fc.constantFrom(...FIELD_TYPES).chain((type) =>
    fc.record({
      name: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...FIELD_WORDS) },
        { weight: 2, arbitrary: fc.constantFrom(...entityNames.map(lowerFirst)) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom(...FIELD_WORDS), fc.constantFrom(...entityNames))
            .map(([a, b]) => `${a}${b}`.slice(0, 40)),
        },
        {
          weight: 1,
          arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,12}$/),
        },
      ),
      label: fc.constantFrom(...LABELS),
      type: fc.constant(type),
      required: fc.boolean(),
      unique: fc.boolean(),
      enumValues:
        type === 'enum'
          ? fc.uniqueArray(fc.constantFrom(...ENUM_VALUES), { minLength: 2, maxLength: 6 })
          : fc.constant(undefined),
      targetIndex: fc.nat({ max: entityCount - 1 }),
      range: rangeArb(type),
    }),
  );

interface EntityDraft {
  name: string;
  pluralStyle: PluralStyle;
  label: string;
  fields: FieldDraft[];
  displayIndex: number;
}

const entityDraftsArb: fc.Arbitrary<EntityDraft[]> = fc
  .uniqueArray(entityNameArb, { minLength: 1, maxLength: 8 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc.record({
          name: fc.constant(name),
          pluralStyle: fc.constantFrom<PluralStyle>('regular', 'regular', 'list', 'all'),
          label: fc.constantFrom(name, ...LABELS),
          fields: fc.uniqueArray(fieldDraftArb(names.length, names), {
            minLength: 1,
            maxLength: 8,
            selector: (field) => field.name,
          }),
          displayIndex: fc.nat({ max: 7 }),
        }),
      ),
    ),
  );

/** Derived value names: everyday ones, and locals of the generated derived-value code and tests. */
const DERIVED_WORDS = [
  'total',
  'average',
  'count',
  'values',
  'groups',
  'flags',
  'data',
  'error',
  'answer',
  'cells',
  'first',
  'second',
  'hit',
  'res',
  'result',
  'groupKey',
  'day',
  'key',
  'sample',
  'overdue',
  'lowStock',
  'derivedValues',
  'aBC',
  'aBc',
];

/** A derived value before it meets its spec's entities: indexes pick the entity and fields. */
interface DerivedDraft {
  kind: (typeof DERIVED_KINDS)[number];
  name: string;
  label: string;
  entityIndex: number;
  fieldIndex: number;
  /** undefined: not grouped. */
  groupIndex: number | undefined;
  period: (typeof DERIVED_PERIODS)[number];
  op: '<' | '<=' | '>' | '>=';
  limit: number;
}

const derivedDraftArb: fc.Arbitrary<DerivedDraft> = fc.record({
  kind: fc.constantFrom(...DERIVED_KINDS),
  name: fc.constantFrom(...DERIVED_WORDS),
  label: fc.constantFrom(...LABELS),
  entityIndex: fc.nat({ max: 7 }),
  fieldIndex: fc.nat({ max: 7 }),
  groupIndex: fc.option(fc.nat({ max: 7 }), { nil: undefined }),
  period: fc.constantFrom(...DERIVED_PERIODS),
  op: fc.constantFrom('<', '<=', '>', '>='),
  limit: fc.integer({ min: -5, max: 20 }),
});

export const specArbitrary: fc.Arbitrary<Spec> = fc
  .record({
    appName: fc.constantFrom('Tracker', 'My "App" </script>', 'Ünïcödé ✓ app', 'x'),
    slug: fc.constantFrom('app', 'my-app-2', 'a1-b2-c3'),
    archetype: fc.constantFrom(...ARCHETYPES),
    features: fc.record({
      auth: fc.boolean(),
      search: fc.boolean(),
      pagination: fc.boolean(),
      sorting: fc.boolean(),
    }),
    nonFunctional: fc.constantFrom([], ['Fast on mobile', 'Must not <script>alert(1)</script>']),
    entities: entityDraftsArb,
    derived: fc.array(derivedDraftArb, { maxLength: 4 }),
  })
  .map((draft) => {
    const spec = SpecSchema.parse(toSpec(draft));
    return SpecSchema.parse({ ...spec, derived: toDerived(draft.derived, spec.entities) });
  });

const NUMBERS = new Set<FieldType>(['integer', 'number', 'money']);
const DATES = new Set<FieldType>(['date', 'datetime']);

/** Drafts resolved against the entities; a draft that fits no field of its entity is left out. */
function toDerived(drafts: readonly DerivedDraft[], entities: readonly Entity[]): DerivedValue[] {
  const derived: DerivedValue[] = [];
  for (const draft of drafts) {
    const entity = entities[draft.entityIndex % entities.length];
    if (!entity) continue;
    const of = (types: ReadonlySet<FieldType>) => entity.fields.filter((f) => types.has(f.type));
    const pick = <T>(list: readonly T[], index: number): T | undefined =>
      list[index % Math.max(list.length, 1)];
    const taken = new Set(derived.map((d) => d.name));
    let name = draft.name;
    for (let n = 2; taken.has(name); n++) name = `${draft.name}${n}`;
    const common = { name, label: draft.label, entity: entity.name };
    let value: DerivedValue | undefined;
    if (draft.kind === 'flag') {
      const field = pick([...of(NUMBERS), ...of(DATES)], draft.fieldIndex);
      if (field)
        value = {
          kind: 'flag',
          ...common,
          condition: {
            field: field.name,
            op: draft.op,
            value: DATES.has(field.type) ? 'today' : draft.limit,
          },
        };
    } else {
      const types =
        draft.kind === 'sum' || draft.kind === 'average'
          ? NUMBERS
          : draft.kind === 'streak'
            ? DATES
            : new Set([...NUMBERS, ...DATES]);
      const field = draft.kind === 'count' ? undefined : pick(of(types), draft.fieldIndex);
      const groups = entity.fields.filter(
        (f) =>
          !f.unique &&
          f !== field &&
          ['reference', 'enum', 'string', 'boolean', 'date', 'datetime'].includes(f.type),
      );
      const group = draft.groupIndex === undefined ? undefined : pick(groups, draft.groupIndex);
      const per = group
        ? { per: { field: group.name, ...(DATES.has(group.type) ? { period: draft.period } : {}) } }
        : {};
      if (draft.kind === 'count') value = { kind: 'count', ...common, ...per };
      else if (field) value = { kind: draft.kind, ...common, field: field.name, ...per };
    }
    if (value && derivedProblem(value, entities) === undefined) derived.push(value);
  }
  return derived;
}

function toSpec(draft: {
  appName: string;
  slug: string;
  archetype: string;
  features: Spec['features'];
  nonFunctional: readonly string[];
  entities: EntityDraft[];
}): unknown {
  const names = draft.entities.map((entity) => entity.name);
  const plurals = new Set<string>();
  return {
    appName: draft.appName,
    slug: draft.slug,
    description: `${draft.appName}: generated by a property test.`,
    archetype: draft.archetype,
    features: draft.features,
    nonFunctional: draft.nonFunctional,
    entities: draft.entities.map((entity) => {
      let plural = pluralOf(entity.name, entity.pluralStyle);
      while (plurals.has(plural) || RESERVED_FIELD_NAMES.has(plural) || plural === lowerFirst(entity.name))
        plural = `${plural.slice(0, 38)}${plurals.size}`;
      plurals.add(plural);
      const fields = entity.fields
        .filter((field) => !RESERVED_FIELD_NAMES.has(field.name))
        .map((field) => ({
          name: field.name,
          label: field.label,
          type: field.type,
          required: field.required,
          unique: field.unique,
          ...(field.enumValues ? { enumValues: field.enumValues } : {}),
          ...(field.type === 'reference' || field.type === 'references'
            ? { target: names[field.targetIndex] }
            : {}),
          ...(field.range ?? {}),
        }));
      if (fields.length === 0)
        fields.push({ name: 'title', label: 'Title', type: 'string', required: true, unique: false });
      return {
        name: entity.name,
        plural,
        label: entity.label,
        pluralLabel: `${entity.label} (all)`.slice(0, 60),
        displayField: fields[entity.displayIndex % fields.length]?.name,
        fields,
      };
    }),
  };
}
