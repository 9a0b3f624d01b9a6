import type { AppModel } from '../model.js';
import { COLUMNS_TS, DATABASE_TS, LINKS_TS } from './database.js';
import { renderDerivedFiles } from './derived.js';
import { renderRepository, renderRouter } from './entity.js';
import { ERRORS_TS, LIST_QUERY_TS, REFERENCES_TS } from './http.js';
import { DEV_API_TS, renderApp, renderConfig, renderMain, renderMigrate, renderSchema } from './server.js';
import { renderSharedEntity } from './shared-entity.js';

export function renderBackendPart(model: AppModel): Map<string, string> {
  const files = new Map<string, string>([
    ['src/server/main.ts', renderMain(model)],
    ['src/server/app.ts', renderApp(model)],
    ['src/server/config.ts', renderConfig(model)],
    ['src/server/dev-api.ts', DEV_API_TS],
    ['src/server/db/database.ts', DATABASE_TS],
    ['src/server/db/columns.ts', COLUMNS_TS],
    ['src/server/db/links.ts', LINKS_TS],
    ['src/server/db/migrate.ts', renderMigrate(model)],
    ['src/server/db/schema.ts', renderSchema(model)],
    ['src/server/http/errors.ts', ERRORS_TS],
    ['src/server/http/list-query.ts', LIST_QUERY_TS],
  ]);
  if (model.entities.some((entity) => entity.relationFields.length > 0)) {
    files.set('src/server/http/references.ts', REFERENCES_TS);
  }
  for (const entity of model.entities) {
    files.set(`src/shared/entities/${entity.kebab}.ts`, renderSharedEntity(entity));
    files.set(`src/server/entities/${entity.kebab}/repository.ts`, renderRepository(model, entity));
    files.set(`src/server/entities/${entity.kebab}/router.ts`, renderRouter(model, entity));
  }
  for (const [path, content] of renderDerivedFiles(model)) files.set(path, content);
  return files;
}
