import { lines } from '../code.js';
import type { AppModel, EntityModel, FieldModel } from '../model.js';
import { sortFields } from './shared-entity.js';

/** `src/server/entities/<entity>/{repository,router}.ts`. */

export function renderRepository(model: AppModel, entity: EntityModel): string {
  const { name, camel } = entity;
  const links = entity.linkFields;
  const optional = entity.fields.filter((field) => !field.required);
  const converters = [
    ...new Set([
      ...entity.columnFields.flatMap((f) => [...fromRow(f).fns, ...toRow(f).fns]),
      'toNumber',
      'toText',
    ]),
  ].sort();
  const sortColumns = sortFields(entity).map((field) => `  ${field}: '${columnOf(entity, field)}',`);
  const rowFields = entity.fields.map((field) =>
    field.type === 'references'
      ? `    ${field.name}: ${linksVar(field)}.get(id) ?? [],`
      : `    ${field.name}: ${fromRow(field).expr(`row.${field.column}`)}${field.type === 'enum' ? ` as ${name}['${field.name}']` : ''},`,
  );
  return lines(
    "import type { SqlValue } from 'sql.js';",
    `import type { ${name}, ${name}Input, ${name}Patch, ${name}SortField } from '../../../shared/entities/${entity.kebab}';`,
    `import { ${converters.join(', ')} } from '../../db/columns';`,
    "import type { Database, Row } from '../../db/database';",
    links.length > 0 && "import { loadLinks, replaceLinks } from '../../db/links';",
    "import { type ListQuery, type Page, searchClause } from '../../http/list-query';",
    '',
    `const TABLE = '${entity.table}';`,
    `const COLUMNS = '${['id', ...entity.columnFields.map((f) => f.column), 'created_at', 'updated_at'].join(', ')}';`,
    `const SEARCH_COLUMNS: readonly string[] = [${entity.searchFields.map((f) => `'${f.column ?? f.name}'`).join(', ')}];`,
    `const SORT_COLUMNS: Record<${name}SortField, string> = {`,
    ...sortColumns,
    '};',
    ...links.map((field) => `const ${linkConst(field)} = '${field.joinTable}';`),
    '',
    `export interface ${name}Repository {`,
    `  list(query: ListQuery<${name}SortField>): Page<${name}>;`,
    `  get(id: number): ${name} | undefined;`,
    `  create(input: ${name}Input): ${name};`,
    '  /** Replaces every field (PUT); `undefined` when the id does not exist. */',
    `  replace(id: number, input: ${name}Input): ${name} | undefined;`,
    '  /** Changes only the given fields (PATCH); `undefined` when the id does not exist. */',
    `  update(id: number, patch: ${name}Patch): ${name} | undefined;`,
    '  remove(id: number): boolean;',
    '}',
    '',
    `export function create${name}Repository(db: Database): ${name}Repository {`,
    `  function hydrate(rows: Row[]): ${name}[] {`,
    links.length > 0 && '    const ids = rows.map((row) => toNumber(row.id));',
    ...links.map((field) => `    const ${linksVar(field)} = loadLinks(db, ${linkConst(field)}, ids);`),
    '    return rows.map((row) => {',
    '      const id = toNumber(row.id);',
    '      return {',
    '        id,',
    ...rowFields.map((line) => `    ${line}`),
    '        createdAt: toText(row.created_at),',
    '        updatedAt: toText(row.updated_at),',
    '      };',
    '    });',
    '  }',
    '',
    `  function find(id: number): ${name} | undefined {`,
    '    const row = db.get(`SELECT ${COLUMNS} FROM ${TABLE} WHERE id = ?`, [id]);',
    '    return row ? hydrate([row])[0] : undefined;',
    '  }',
    '',
    links.length > 0 && `  function saveLinks(id: number, patch: ${name}Patch): void {`,
    ...links.map(
      (field) =>
        `    if (patch.${field.name} !== undefined) replaceLinks(db, ${linkConst(field)}, id, patch.${field.name});`,
    ),
    links.length > 0 && '  }',
    links.length > 0 && '',
    `  function list(query: ListQuery<${name}SortField>): Page<${name}> {`,
    '    const search = searchClause(SEARCH_COLUMNS, query.q);',
    '    const total = toNumber(db.get(`SELECT COUNT(*) AS total FROM ${TABLE} ${search.sql}`, search.params)?.total ?? 0);',
    "    const direction = query.order === 'asc' ? 'ASC' : 'DESC';",
    '    const rows = db.all(',
    '      `SELECT ${COLUMNS} FROM ${TABLE} ${search.sql} ORDER BY ${SORT_COLUMNS[query.sort]} ${direction}, id ${direction} LIMIT ? OFFSET ?`,',
    '      [...search.params, query.pageSize, (query.page - 1) * query.pageSize],',
    '    );',
    '    return { items: hydrate(rows), total, page: query.page, pageSize: query.pageSize };',
    '  }',
    '',
    `  function create(input: ${name}Input): ${name} {`,
    '    return db.transaction(() => {',
    '      const patch = withDefaults(input);',
    '      const now = new Date().toISOString();',
    "      const values: [string, SqlValue][] = [...columnValues(patch), ['created_at', now], ['updated_at', now]];",
    "      const columns = values.map(([column]) => column).join(', ');",
    "      const placeholders = values.map(() => '?').join(', ');",
    '      const id = db.run(',
    '        `INSERT INTO ${TABLE} (${columns}) VALUES (${placeholders})`,',
    '        values.map(([, value]) => value),',
    '      );',
    links.length > 0 && '      saveLinks(id, patch);',
    `      return find(id) as ${name};`,
    '    });',
    '  }',
    '',
    `  function update(id: number, patch: ${name}Patch): ${name} | undefined {`,
    '    return db.transaction(() => {',
    '      if (!find(id)) return undefined;',
    "      const values: [string, SqlValue][] = [...columnValues(patch), ['updated_at', new Date().toISOString()]];",
    "      const assignments = values.map(([column]) => `${column} = ?`).join(', ');",
    '      db.run(`UPDATE ${TABLE} SET ${assignments} WHERE id = ?`, [...values.map(([, value]) => value), id]);',
    links.length > 0 && '      saveLinks(id, patch);',
    '      return find(id);',
    '    });',
    '  }',
    '',
    '  function remove(id: number): boolean {',
    '    return db.transaction(() => {',
    '      if (!find(id)) return false;',
    '      db.run(`DELETE FROM ${TABLE} WHERE id = ?`, [id]);',
    '      return true;',
    '    });',
    '  }',
    '',
    '  return {',
    '    list,',
    '    get: find,',
    '    create,',
    '    replace: (id, input) => update(id, withDefaults(input)),',
    '    update,',
    '    remove,',
    '  };',
    '}',
    '',
    `/** Optional fields left out of a full write are cleared, so PUT replaces the whole ${camel}. */`,
    `function withDefaults(input: ${name}Input): ${name}Patch {`,
    optional.length === 0 && '  return input;',
    optional.length > 0 && '  return {',
    optional.length > 0 && '    ...input,',
    ...optional.map((f) => `    ${f.name}: input.${f.name} ?? ${f.type === 'references' ? '[]' : 'null'},`),
    optional.length > 0 && '  };',
    '}',
    '',
    // An entity of many-to-many fields only has no columns of its own to write.
    `function columnValues(${entity.columnFields.length > 0 ? 'patch' : '_patch'}: ${name}Patch): [string, SqlValue][] {`,
    '  const values: [string, SqlValue][] = [];',
    ...entity.columnFields.map(
      (field) =>
        `  if (patch.${field.name} !== undefined) values.push(['${field.column}', ${toRow(field).expr(`patch.${field.name}`)}]);`,
    ),
    '  return values;',
    '}',
    '',
  );
}

function columnOf(entity: EntityModel, fieldName: string): string {
  if (fieldName === 'createdAt') return 'created_at';
  if (fieldName === 'updatedAt') return 'updated_at';
  return entity.fields.find((field) => field.name === fieldName)?.column ?? 'id';
}

function linkConst(field: FieldModel): string {
  return `${field.constant}_LINKS`;
}

function linksVar(field: FieldModel): string {
  return `${field.name}Links`;
}

interface Conversion {
  fns: string[];
  expr: (value: string) => string;
}

function call(fn: string): Conversion {
  return { fns: [fn], expr: (value) => `${fn}(${value})` };
}

function fromRow(field: FieldModel): Conversion {
  const nullable = !field.required;
  switch (field.type) {
    case 'integer':
    case 'number':
    case 'reference':
      return call(nullable ? 'toNullableNumber' : 'toNumber');
    case 'money':
      return call(nullable ? 'fromNullableCents' : 'fromCents');
    case 'boolean':
      return call(nullable ? 'toNullableBoolean' : 'toBoolean');
    default:
      return call(nullable ? 'toNullableText' : 'toText');
  }
}

function toRow(field: FieldModel): Conversion {
  const convert = field.type === 'money' ? 'toCents' : field.type === 'boolean' ? 'fromBoolean' : undefined;
  if (!convert) return { fns: [], expr: (value) => value };
  if (field.required) return call(convert);
  return { fns: ['nullable', convert], expr: (value) => `nullable(${value}, ${convert})` };
}

export function renderRouter(model: AppModel, entity: EntityModel): string {
  const { name, camel } = entity;
  const checks = entity.relationFields.map((field) => {
    const table = model.entity(field.target ?? entity.specName).table;
    const ids = field.type === 'references' ? `body.${field.name} ?? []` : `[body.${field.name}]`;
    return `    { field: '${field.name}', table: '${table}', ids: ${ids} },`;
  });
  const check = (variable: string): string | false =>
    checks.length > 0 && `    checkReferences(${variable});`;
  const label = `'${entity.name}'`;
  return lines(
    "import { Router } from 'express';",
    'import {',
    `  ${entity.constant}_SORT_FIELDS,`,
    checks.length > 0 && `  type ${name}Patch,`,
    `  ${camel}InputSchema,`,
    `  ${camel}PatchSchema,`,
    `} from '../../../shared/entities/${entity.kebab}';`,
    "import type { Database } from '../../db/database';",
    "import { notFound, orNotFound } from '../../http/errors';",
    "import { parseListQuery } from '../../http/list-query';",
    checks.length > 0 && "import { assertReferencesExist } from '../../http/references';",
    "import { parseBody, parseId } from '../../security/validation';",
    `import { create${name}Repository } from './repository';`,
    '',
    `/** CRUD for ${entity.plural}, mounted at ${entity.route}. */`,
    `export function create${name}Router(db: Database): Router {`,
    `  const repository = create${name}Repository(db);`,
    '  const router = Router();',
    checks.length > 0 && '',
    checks.length > 0 && `  const checkReferences = (body: ${name}Patch): void =>`,
    checks.length > 0 && '    assertReferencesExist(db, [',
    ...checks.map((line) => `  ${line}`),
    checks.length > 0 && '    ]);',
    '',
    "  router.get('/', (req, res) => {",
    `    res.json(repository.list(parseListQuery(req.query, ${entity.constant}_SORT_FIELDS)));`,
    '  });',
    '',
    "  router.get('/:id', (req, res) => {",
    `    res.json(orNotFound(repository.get(parseId(req.params.id)), ${label}));`,
    '  });',
    '',
    "  router.post('/', (req, res) => {",
    `    const input = parseBody(${camel}InputSchema, req.body);`,
    check('input'),
    `    const created = repository.create(input);`,
    '    res.status(201).location(`${req.baseUrl}/${created.id}`).json(created);',
    '  });',
    '',
    "  router.put('/:id', (req, res) => {",
    '    const id = parseId(req.params.id);',
    `    const input = parseBody(${camel}InputSchema, req.body);`,
    check('input'),
    `    res.json(orNotFound(repository.replace(id, input), ${label}));`,
    '  });',
    '',
    "  router.patch('/:id', (req, res) => {",
    '    const id = parseId(req.params.id);',
    `    const patch = parseBody(${camel}PatchSchema, req.body);`,
    check('patch'),
    `    res.json(orNotFound(repository.update(id, patch), ${label}));`,
    '  });',
    '',
    "  router.delete('/:id', (req, res) => {",
    `    if (!repository.remove(parseId(req.params.id))) throw notFound(${label});`,
    '    res.status(204).end();',
    '  });',
    '',
    '  return router;',
    '}',
    '',
  );
}
