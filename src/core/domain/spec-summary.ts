import type { DerivedValue, Spec } from './spec.js';

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
  if (spec.derived.length > 0)
    parts.push(
      `${count(spec.derived.length, 'derived value', 'derived values')}: ` +
        spec.derived.map((d) => `${d.label} (${describeDerived(d)})`).join(', '),
    );
  if (spec.behaviours.length > 0) parts.push(count(spec.behaviours.length, 'behaviour', 'behaviours'));
  return parts.join('; ');
}

/** `average points of Rating per film`, `flag Vaccination when nextDue < today`. */
function describeDerived(derived: DerivedValue): string {
  if (derived.kind === 'flag') {
    const { field, op, value } = derived.condition;
    return `flag ${derived.entity} when ${field} ${op} ${value}`;
  }
  const what =
    derived.kind === 'count'
      ? `count of ${derived.entity}`
      : `${derived.kind} ${derived.field} of ${derived.entity}`;
  if (!derived.per) return what;
  return `${what} per ${derived.per.period ? `${derived.per.period} of ${derived.per.field}` : derived.per.field}`;
}
