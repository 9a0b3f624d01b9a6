import { starterFile } from '../../../starter/shared-files.js';
import type { AppModel } from '../model.js';
import { renderEnvExample, renderIndexHtml } from './config-files.js';
import { renderPackageJson, renderPackageLock } from './package.js';
import { renderReadme } from './readme.js';

export function renderProjectPart(model: AppModel): Map<string, string> {
  return new Map([
    ['package.json', renderPackageJson(model)],
    ['package-lock.json', renderPackageLock(model)],
    ['tsconfig.json', starterFile('tsconfig.json')],
    ['biome.json', starterFile('biome.json')],
    ['vite.config.ts', starterFile('vite.config.ts')],
    ['index.html', renderIndexHtml(model)],
    ['README.md', renderReadme(model)],
    ['.env.example', renderEnvExample(model)],
    ['.gitignore', starterFile('.gitignore')],
  ]);
}
