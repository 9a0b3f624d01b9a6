import { Imports, lines, tsString } from '../code.js';
import type { AppModel } from '../model.js';

/**
 * `src/client/home.tsx`: the landing page, one card per entity with its count, its newest records
 * and an empty state that invites the first one.
 */
export function renderHomeTsx(model: AppModel): string {
  const sorted = [...model.entities].sort((a, b) => (a.kebab < b.kebab ? -1 : 1));
  const imports = new Imports()
    .add('./components/ui', 'ErrorBanner')
    .add('./hooks/use-page', 'usePage')
    .addType('./lib/api-client', 'ListParams', 'Lister');
  if (model.derived.length > 0) imports.add('./derived/derived-values-card', 'DerivedValuesCard');
  for (const entity of sorted) {
    imports.add(`./api/${entity.kebab}`, `${entity.camel}Api`);
    imports.add(`../shared/entities/${entity.kebab}`, `${entity.camel}Labels`, `${entity.camel}Title`);
  }
  return lines(
    ...imports.render(),
    '',
    `export type HomeKey = ${model.entities.map((e) => tsString(e.plural)).join(' | ')};`,
    '',
    '/** The newest records of each entity. */',
    "const RECENT: ListParams = { page: 1, pageSize: 5, sort: 'createdAt', order: 'desc' };",
    '',
    '/** "Recipes" -> "recipes" mid-sentence; acronyms ("URLs") stay as they are. */',
    'function lowerFirst(label: string): string {',
    '  return /^\\p{Lu}\\p{Ll}/u.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;',
    '}',
    '',
    'interface SummaryProps<T> {',
    '  id: string;',
    '  labels: { singular: string; plural: string };',
    '  api: Lister<T>;',
    '  title: (item: T) => string;',
    '  onOpen: (creating: boolean) => void;',
    '}',
    '',
    'function Summary<T extends { id: number }>({ id, labels, api, title, onOpen }: SummaryProps<T>) {',
    '  const { data, error } = usePage(api, RECENT, 0);',
    '  return (',
    '    <section id={id} className="summary" aria-labelledby={`${id}-heading`}>',
    '      <h2 id={`${id}-heading`}>{labels.plural}</h2>',
    '      {error !== null && <ErrorBanner message={error} />}',
    '      {data && (',
    '        <p className="count">',
    '          <strong>{data.total}</strong> {data.total === 1 ? labels.singular : labels.plural}',
    '        </p>',
    '      )}',
    '      {data?.items.length === 0 && <p className="empty">No {lowerFirst(labels.plural)} yet — add the first one.</p>}',
    '      {data && data.items.length > 0 && (',
    '        <ul className="recent" aria-label={`Newest ${lowerFirst(labels.plural)}`}>',
    '          {data.items.map((item) => (',
    '            <li key={item.id}>{title(item)}</li>',
    '          ))}',
    '        </ul>',
    '      )}',
    '      <div className="form-actions">',
    '        <button type="button" className="primary" onClick={() => onOpen(true)}>',
    '          New {labels.singular}',
    '        </button>',
    '        <button type="button" onClick={() => onOpen(false)}>',
    '          View all <span className="visually-hidden">{labels.plural}</span>',
    '        </button>',
    '      </div>',
    '    </section>',
    '  );',
    '}',
    '',
    'export function HomePage({ onOpen }: { onOpen: (key: HomeKey, creating: boolean) => void }) {',
    '  return (',
    '    <div className="home">',
    model.derived.length > 0 && '      <DerivedValuesCard />',
    ...model.entities.flatMap((e) => [
      '      <Summary',
      `        id="home-${e.kebab}"`,
      `        labels={${e.camel}Labels}`,
      `        api={${e.camel}Api}`,
      `        title={${e.camel}Title}`,
      `        onOpen={(creating) => onOpen(${tsString(e.plural)}, creating)}`,
      '      />',
    ]),
    '    </div>',
    '  );',
    '}',
    '',
  );
}
