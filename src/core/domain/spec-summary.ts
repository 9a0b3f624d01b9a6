import type { Spec } from './spec.js';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What a spec describes, in the terms the app is made of: stored data when it has entities, and the
 * pages, components and behaviours of apps that store nothing (a game, a timer, a landing page).
 */
export function summarizeSpec(spec: Spec): string {
  const parts: string[] = [];
  if (spec.entities.length > 0)
    parts.push(
      `${count(spec.entities.length, 'entity', 'entities')}: ` +
        spec.entities.map((e) => `${e.label} (${e.fields.map((f) => f.name).join(', ')})`).join('; '),
    );
  if (spec.pages.length > 0)
    parts.push(
      `${count(spec.pages.length, 'page', 'pages')}: ${spec.pages.map((p) => `${p.title} (${p.path})`).join(', ')}`,
    );
  if (spec.components.length > 0)
    parts.push(
      `${count(spec.components.length, 'component', 'components')}: ${spec.components.map((c) => c.name).join(', ')}`,
    );
  if (spec.behaviours.length > 0) parts.push(count(spec.behaviours.length, 'behaviour', 'behaviours'));
  return parts.join('; ');
}
