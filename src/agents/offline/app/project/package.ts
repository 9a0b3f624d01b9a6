import templateLock from '../template/package-lock.json' with { type: 'json' };
import templatePackage from '../template/package.json' with { type: 'json' };
import type { AppModel } from '../model.js';

/**
 * Every app shares one dependency set, locked once in `../template/` (see its README.md); only the
 * package name and description change, so `npm ci` and the validator's dependency cache work for all.
 */
export function renderPackageJson(model: Pick<AppModel, 'slug'> & { description?: string }): string {
  const { name: _name, version, ...rest } = templatePackage;
  return json({ name: model.slug, version, description: model.description, ...rest });
}

export function renderPackageLock(model: Pick<AppModel, 'slug'>): string {
  const root = templateLock.packages[''];
  return json({
    ...templateLock,
    name: model.slug,
    packages: { ...templateLock.packages, '': { ...root, name: model.slug } },
  });
}

/** npm's own layout: two-space JSON and a trailing newline. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
