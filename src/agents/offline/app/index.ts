import type { Spec } from '../../../core/domain/spec.js';
import { OFFLINE_PARTS, type AppPart } from '../../registry.js';
import { buildModel, type AppModel } from './model.js';

/**
 * The deterministic app generator: a Spec in, the files of a full-stack app out (same Spec, same
 * bytes). Each part is what one agent writes, declared with the agent (src/agents/team/); parts never
 * share a path.
 */
export type { AppPart } from '../../registry.js';

export const APP_PARTS: readonly AppPart[] = OFFLINE_PARTS.map((p) => p.part);

const RENDERERS = new Map<AppPart, (model: AppModel) => Map<string, string>>(
  OFFLINE_PARTS.map((p) => [p.part, p.render]),
);

function renderer(part: AppPart): (model: AppModel) => Map<string, string> {
  const render = RENDERERS.get(part);
  if (!render) throw new Error(`generator bug: no agent renders the ${part} part`);
  return render;
}

/** One part's files: relative POSIX path -> text, in sorted path order. */
export function renderAppPart(spec: Spec, part: AppPart): Map<string, string> {
  return sorted(renderer(part)(buildModel(spec)));
}

/** Every part's files together, in sorted path order. */
export function renderApp(spec: Spec): Map<string, string> {
  const model = buildModel(spec);
  const files = new Map<string, string>();
  for (const part of APP_PARTS) {
    for (const [path, content] of renderer(part)(model)) {
      if (files.has(path)) throw new Error(`generator bug: ${path} is rendered by two parts`);
      files.set(path, content);
    }
  }
  return sorted(files);
}

function sorted(files: Map<string, string>): Map<string, string> {
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
