import type { AppModel } from '../model.js';
import {
  BIOME_JSON,
  GITIGNORE,
  renderEnvExample,
  renderIndexHtml,
  TSCONFIG_JSON,
  VITE_CONFIG_TS,
} from './config-files.js';
import { renderPackageJson, renderPackageLock } from './package.js';
import { renderReadme } from './readme.js';

export function renderProjectPart(model: AppModel): Map<string, string> {
  return new Map([
    ['package.json', renderPackageJson(model)],
    ['package-lock.json', renderPackageLock(model)],
    ['tsconfig.json', TSCONFIG_JSON],
    ['biome.json', BIOME_JSON],
    ['vite.config.ts', VITE_CONFIG_TS],
    ['index.html', renderIndexHtml(model)],
    ['README.md', renderReadme(model)],
    ['.env.example', renderEnvExample(model)],
    ['.gitignore', GITIGNORE],
  ]);
}
