import type { Spec } from '../../../core/domain/spec.js';
import { renderBackendPart } from './backend/index.js';
import { renderDeploymentPart } from './deployment/index.js';
import { renderFrontendPart } from './frontend/index.js';
import { buildModel, type AppModel } from './model.js';
import { renderPerformancePart } from './performance/index.js';
import { renderProjectPart } from './project/index.js';
import { renderSecurityPart } from './security/index.js';
import { renderTestingPart } from './testing/index.js';

/**
 * The deterministic app generator: a Spec in, the files of a full-stack app out (same Spec, same
 * bytes). Each part is what one agent writes; parts never share a path.
 */
export type AppPart =
  'project' | 'backend' | 'frontend' | 'testing' | 'security' | 'performance' | 'deployment';

export const APP_PARTS: readonly AppPart[] = [
  'project',
  'backend',
  'frontend',
  'testing',
  'security',
  'performance',
  'deployment',
];

const RENDERERS: Record<AppPart, (model: AppModel) => Map<string, string>> = {
  project: renderProjectPart,
  backend: renderBackendPart,
  frontend: renderFrontendPart,
  testing: renderTestingPart,
  security: renderSecurityPart,
  performance: renderPerformancePart,
  deployment: renderDeploymentPart,
};

/** One part's files: relative POSIX path -> text, in sorted path order. */
export function renderAppPart(spec: Spec, part: AppPart): Map<string, string> {
  return sorted(RENDERERS[part](buildModel(spec)));
}

/** Every part's files together, in sorted path order. */
export function renderApp(spec: Spec): Map<string, string> {
  const model = buildModel(spec);
  const files = new Map<string, string>();
  for (const part of APP_PARTS) {
    for (const [path, content] of RENDERERS[part](model)) {
      if (files.has(path)) throw new Error(`generator bug: ${path} is rendered by two parts`);
      files.set(path, content);
    }
  }
  return sorted(files);
}

function sorted(files: Map<string, string>): Map<string, string> {
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
