import type { AppModel } from '../model.js';
import { renderDerivedUiFiles } from './derived.js';
import { renderEntityForm } from './entity-form.js';
import { renderEntityList } from './entity-list.js';
import { renderHomeTsx } from './home.js';
import {
  renderAppTsx,
  renderEntityApi,
  renderEntityPage,
  renderSessionTs,
  MAIN_TSX,
  SIGN_IN_TSX,
} from './shell.js';
import {
  COMPONENTS_TSX,
  FORM_VALUES_TS,
  FORMAT_TS,
  HOOKS_TS,
  LIST_STATE_TS,
  renderHttpTs,
} from './static.js';
import { STYLES_CSS } from './styles.js';

export function renderFrontendPart(model: AppModel): Map<string, string> {
  const files = new Map<string, string>([
    ['src/client/main.tsx', MAIN_TSX],
    ['src/client/app.tsx', renderAppTsx(model)],
    ['src/client/home.tsx', renderHomeTsx(model)],
    ['src/client/styles.css', STYLES_CSS],
    ['src/client/lib/api-client.ts', renderHttpTs(model.features.auth)],
    ['src/client/components/ui.tsx', COMPONENTS_TSX],
    ['src/client/hooks/use-page.ts', HOOKS_TS],
    ['src/client/lib/form-values.ts', FORM_VALUES_TS],
    ['src/client/lib/format.ts', FORMAT_TS],
    ['src/client/lib/list-state.ts', LIST_STATE_TS],
  ]);
  if (model.features.auth) {
    files.set('src/client/auth/session.ts', renderSessionTs(model));
    files.set('src/client/auth/sign-in.tsx', SIGN_IN_TSX);
  }
  for (const entity of model.entities) {
    const dir = `src/client/entities/${entity.kebab}`;
    files.set(`src/client/api/${entity.kebab}.ts`, renderEntityApi(entity));
    files.set(`${dir}/${entity.kebab}-list.tsx`, renderEntityList(model, entity));
    files.set(`${dir}/${entity.kebab}-form.tsx`, renderEntityForm(model, entity));
    files.set(`${dir}/${entity.kebab}-page.tsx`, renderEntityPage(entity));
  }
  for (const [path, content] of renderDerivedUiFiles(model)) files.set(path, content);
  return files;
}
