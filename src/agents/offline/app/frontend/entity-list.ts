import { Imports, lines } from '../code.js';
import type { AppModel, EntityModel, FieldModel } from '../model.js';
import { sortFields } from '../backend/shared-entity.js';

const MAX_COLUMNS = 6;

/** `src/client/entities/<entity>/<entity>-list.tsx`: table with search, sort, pagination and delete. */
export function renderEntityList(model: AppModel, entity: EntityModel): string {
  const { name, camel, kebab } = entity;
  const { search, pagination, sorting } = model.features;
  const searchable = entity.searchFields.length > 0;
  const columns = listColumns(entity);
  const sortable = new Set(sorting ? sortFields(entity) : []);
  const changesState =
    pagination || (search && searchable) || columns.some((field) => sortable.has(field.name));
  const imports = new Imports()
    .add('react', 'useState')
    .add(`../../api/${kebab}`, `${camel}Api`)
    .add('../../lib/api-client', 'errorMessage')
    .add('../../components/ui', 'ErrorBanner')
    .add('../../hooks/use-page', 'usePage')
    .add('../../lib/list-state', 'initialListState')
    .add(`../../../shared/entities/${kebab}`, `${camel}Labels`, `${camel}Title`)
    .addType(`../../../shared/entities/${kebab}`, name, `${name}SortField`);
  if (search && searchable) imports.add('../../components/ui', 'SearchBox');
  if (pagination) imports.add('../../components/ui', 'Pagination');
  if (columns.some((field) => sortable.has(field.name)))
    imports.add('../../lib/list-state', 'ariaSort', 'toggleSort');
  const targets = [...new Set(columns.filter((f) => f.target).map((f) => f.target ?? entity.specName))];
  if (targets.length > 0) imports.add('../../hooks/use-page', 'useOptionLabels');
  for (const targetName of targets) {
    const target = model.entity(targetName);
    imports.add(`../../api/${target.kebab}`, `${target.camel}Api`);
    imports.add(`../../../shared/entities/${target.kebab}`, `${target.camel}Title`);
  }
  if (columns.some((field) => field.rating)) imports.add('../../components/ui', 'Stars');
  // Flags computed on the server: a badge on each row they mark.
  const flags = model.derived.filter((d) => d.kind === 'flag' && d.entity === entity);
  if (flags.length > 0) {
    imports.add('../../derived/use-derived-values', 'useDerivedValues');
    imports.add('../../../shared/derived-values', 'DERIVED_LABELS');
  }
  for (const field of columns) {
    const helper = formatter(field);
    if (helper) imports.add('../../lib/format', helper);
  }
  const header = (field: FieldModel): string => {
    const label = `{${camel}Labels.fields.${field.name}}`;
    if (!sortable.has(field.name)) return `<th scope="col">${label}</th>`;
    return lines(
      `<th scope="col" aria-sort={ariaSort(state, '${field.name}')}>`,
      `  <button type="button" className="sort" onClick={() => setState(toggleSort(state, '${field.name}'))}>`,
      `    ${label}`,
      '  </button>',
      '</th>',
    );
  };
  return lines(
    ...imports.render(),
    '',
    `export interface ${name}ListProps {`,
    '  /** Bumped by the parent after a save, to reload the current page. */',
    '  version: number;',
    `  onEdit: (${camel}: ${name}) => void;`,
    '}',
    '',
    `export function ${name}List({ version, onEdit }: ${name}ListProps) {`,
    // Without sorting, search or pages the list never changes its state: no unused setter.
    `  const [state${changesState ? ', setState' : ''}] = useState(() => initialListState<${name}SortField>('createdAt'));`,
    `  const { data, error, reload } = usePage(${camel}Api, state, version);`,
    flags.length > 0 && '  const derivedValues = useDerivedValues(version);',
    '  const [actionError, setActionError] = useState<string | null>(null);',
    ...targets.map((targetName) => {
      const target = model.entity(targetName);
      return `  const ${target.camel}Names = useOptionLabels(${target.camel}Api, ${target.camel}Title);`;
    }),
    '',
    `  const handleDelete = async (${camel}: ${name}) => {`,
    `    if (!window.confirm(\`Delete "\${${camel}Title(${camel})}"?\`)) return;`,
    '    try {',
    `      await ${camel}Api.remove(${camel}.id);`,
    '      setActionError(null);',
    '      reload();',
    '    } catch (failure) {',
    '      setActionError(errorMessage(failure));',
    '    }',
    '  };',
    '',
    '  return (',
    '    <div>',
    search &&
      searchable &&
      '      <SearchBox value={state.q} onSearch={(q) => setState({ ...state, q, page: 1 })} />',
    '      {error !== null && <ErrorBanner message={error} />}',
    '      {actionError !== null && <ErrorBanner message={actionError} />}',
    '      <table>',
    '        <thead>',
    '          <tr>',
    ...columns.map((field) => indentBy(header(field), 12)),
    flags.length > 0 && '            <th scope="col">Flags</th>',
    '            <th scope="col">',
    '              <span className="visually-hidden">Actions</span>',
    '            </th>',
    '          </tr>',
    '        </thead>',
    '        <tbody>',
    `          {data?.items.map((${camel}) => (`,
    `            <tr key={${camel}.id}>`,
    ...columns.map((field) => indentBy(cell(model, entity, field), 14)),
    flags.length > 0 && '              <td className="flags">',
    ...flags.map(
      (flag) =>
        `                {derivedValues.data?.flags.${flag.name}.includes(${camel}.id) && <span className="badge flag">{DERIVED_LABELS.${flag.name}}</span>}`,
    ),
    flags.length > 0 && '              </td>',
    '              <td className="actions">',
    `                <button type="button" onClick={() => onEdit(${camel})}>`,
    '                  Edit',
    '                </button>',
    `                <button type="button" className="danger" onClick={() => handleDelete(${camel})}>`,
    '                  Delete',
    '                </button>',
    '              </td>',
    '            </tr>',
    '          ))}',
    '        </tbody>',
    '      </table>',
    '      {data?.items.length === 0 && <p className="empty">Nothing here yet.</p>}',
    pagination &&
      '      {data && <Pagination page={data.page} pageSize={data.pageSize} total={data.total} onChange={(page) => setState({ ...state, page })} />}',
    '    </div>',
    '  );',
    '}',
    '',
  );
}

function indentBy(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

/** The display field first, then the others in spec order; long text is left to the form. */
function listColumns(entity: EntityModel): FieldModel[] {
  const rest = entity.fields.filter((field) => field !== entity.displayField && field.type !== 'text');
  return [entity.displayField, ...rest].slice(0, MAX_COLUMNS);
}

function formatter(field: FieldModel): string | undefined {
  switch (field.type) {
    case 'boolean':
      return 'formatBoolean';
    case 'money':
      return 'formatMoney';
    case 'datetime':
      return 'formatDateTime';
    case 'reference':
      return 'referenceLabel';
    case 'references':
      return 'referenceLabels';
    default:
      return undefined;
  }
}

function cell(model: AppModel, entity: EntityModel, field: FieldModel): string {
  const value = `${entity.camel}.${field.name}`;
  const helper = formatter(field);
  if (field.type === 'reference' || field.type === 'references') {
    const labels = `${model.entity(field.target ?? entity.specName).camel}Names`;
    return `<td>{${helper}(${labels}, ${value})}</td>`;
  }
  if (field.rating) return `<td>\n  <Stars value={${value}} max={${field.max}} />\n</td>`;
  if (field.type === 'money') {
    const currency = field.currency === undefined ? '' : `, '${field.currency}'`;
    return `<td className="money">{${helper}(${value}${currency})}</td>`;
  }
  if (helper) return `<td>{${helper}(${value})}</td>`;
  if (field.type === 'enum') {
    const badge = `<span className="badge">{${value}}</span>`;
    return field.required ? `<td>\n  ${badge}\n</td>` : `<td>{${value} !== null && ${badge}}</td>`;
  }
  if (field.type === 'url') {
    return lines(
      '<td>',
      `  {${value} && (`,
      `    <a href={${value}} target="_blank" rel="noopener noreferrer">`,
      `      {${value}}`,
      '    </a>',
      '  )}',
      '</td>',
    );
  }
  return `<td>{${value}}</td>`;
}
