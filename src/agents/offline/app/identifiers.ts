import { camelCase, constantCase } from './naming.js';

/**
 * Names the generated code itself declares or imports beside an entity's own names. An entity whose
 * names would clash with one of these (an entity called `Row`, `ApiError` or `Fixtures`) gets other
 * code identifiers; its label, files and routes keep its own name.
 */
export const GENERATED_IDENTIFIERS: ReadonlySet<string> = new Set([
  'APP_NAME',
  'AUTH_TABLES',
  'DEFAULT_PAGE_SIZE',
  'INDEXES',
  'IN_MEMORY',
  'JSON_BODY_LIMIT',
  'MAX_PAGE_SIZE',
  'MAX_SEARCH_LENGTH',
  'TABLE',
  'TABLES',
  'COLUMNS',
  'SEARCH_COLUMNS',
  'SORT_COLUMNS',
  'EMPTY',
  'ApiError',
  'ApiIssue',
  'App',
  'AppOptions',
  'AuthRouterOptions',
  'AuthSession',
  'AuthUser',
  'Cell',
  'Config',
  'Credentials',
  'Database',
  'ErrorBanner',
  'ErrorRequestHandler',
  'Express',
  'FieldErrors',
  'Fixtures',
  'FormEvent',
  'FormField',
  'HomeKey',
  'HomePage',
  'HttpError',
  'Issue',
  'ListParams',
  'ListQuery',
  'ListState',
  'Lister',
  'Option',
  'Page',
  'Pagination',
  'Params',
  'Plugin',
  'ReactNode',
  'ReferenceCheck',
  'Request',
  'RequestHandler',
  'ResourceApi',
  'Router',
  'Row',
  'SearchBox',
  'SignIn',
  'SqlValue',
  'StarRating',
  'Stars',
  'Summary',
  'SummaryProps',
  'StrictMode',
  'TestContext',
  'TestContextOptions',
  'ZodError',
  'createApp',
  'createAuthRouter',
  'createFixtures',
  'createResourceApi',
  'createSession',
  'createTestContext',
  'credentialsSchema',
  'deleteSession',
  'findSessionUser',
  'fixtures',
  'sequence',
  'next',
  // derived values (src/*/derived*)
  'DERIVED_LABELS',
  'NO_DERIVED_VALUES',
  'DerivedGroup',
  'DerivedGroupTable',
  'DerivedValue',
  'DerivedValues',
  'DerivedValuesCard',
  'computeDerivedValues',
  'createDerivedValuesRouter',
  'fetchDerivedValues',
  'useDerivedValues',
  'derivedValues',
  'formatDerived',
  'groupLabel',
]);

/** Every module-level name the generator derives from an entity's code name. */
export function entityIdentifiers(codeName: string): string[] {
  const camel = camelCase(codeName);
  return [
    codeName,
    ...[
      'Input',
      'Patch',
      'SortField',
      'Repository',
      'Form',
      'FormValues',
      'FormProps',
      'List',
      'ListProps',
      'Page',
    ].map((suffix) => codeName + suffix),
    `create${codeName}Repository`,
    `create${codeName}Router`,
    camel,
    ...['Api', 'Labels', 'Title', 'Input', 'InputSchema', 'PatchSchema', 'Options', 'Names'].map(
      (suffix) => camel + suffix,
    ),
    `${constantCase(codeName)}_SORT_FIELDS`,
  ];
}

/** SQLite keywords: never a bare table or column name. */
export const SQL_KEYWORDS: ReadonlySet<string> = new Set(
  `abort action add after all alter always analyze and as asc attach autoincrement before begin between by
  cascade case cast check collate column commit conflict constraint create cross current current_date
  current_time current_timestamp database default deferrable deferred delete desc detach distinct do drop
  each else end escape except exclude exclusive exists explain fail filter first following for foreign from
  full generated glob group groups having if ignore immediate in index indexed initially inner insert instead
  intersect into is isnull join key last left like limit match materialized natural no not nothing notnull
  null nulls of offset on or order others outer over partition plan pragma preceding primary query raise
  range recursive references regexp reindex release rename replace restrict returning right rollback row rows
  savepoint select set table temp temporary then ties to transaction trigger unbounded union unique update
  using vacuum values view virtual when where window with without`.split(/\s+/),
);

/** Tables and routes the generated app has besides the entities'. */
export const RESERVED_TABLES: ReadonlySet<string> = new Set(['auth_users', 'auth_sessions']);
export const RESERVED_ROUTES: ReadonlySet<string> = new Set(['auth', 'health', 'derived-values']);

/** `base`, or the first of `next(base, 2)`, `next(base, 3)`, … that `taken` lacks; then takes it. */
export function claim(
  base: string,
  taken: Set<string>,
  next: (base: string, n: number) => string,
  clashes: (name: string) => boolean = (name) => taken.has(name),
): string {
  let name = base;
  for (let n = 2; clashes(name); n += 1) name = next(base, n);
  taken.add(name);
  return name;
}
