/** Text report of the fidelity eval: the failures, the most common wrong entities, totals vs targets. */
import { TARGETS, type Measure, type PromptScore, type Totals } from './metrics.js';

const pct = (m: Measure) =>
  m.expected === 0 ? 'n/a (0/0)' : `${(m.rate * 100).toFixed(1)}% (${m.found}/${m.expected})`;

function failureLines(score: PromptScore): string[] {
  const problems: string[] = [];
  if (score.crash) return [`CRASHED: ${score.crash}`];
  if (score.outOfScope) {
    if (score.built)
      problems.push(`BUILT an app for an out-of-scope prompt: [${score.actualEntities.join(', ')}]`);
    return problems;
  }
  if (score.refusal !== undefined) problems.push(`REFUSED: ${score.refusal}`);
  if (score.unrelated) problems.push(`UNRELATED app: [${score.actualEntities.join(', ')}]`);
  if (score.validated === false)
    problems.push(`VALIDATION FAILED${score.validationFailure ? `: ${score.validationFailure}` : ''}`);
  if (score.built && score.entities.missing.length)
    problems.push(`missing entities: ${score.entities.missing.join(', ')}`);
  if (score.extraEntities.length) problems.push(`extra entities: ${score.extraEntities.join(', ')}`);
  if (score.built && score.fields.missing.length)
    problems.push(`missing fields: ${score.fields.missing.join(', ')}`);
  if (score.fields.mismatched.length)
    problems.push(
      `wrong types: ${score.fields.mismatched.map((m) => `${m.field} (want ${m.expected}, got ${m.actual})`).join(', ')}`,
    );
  if (score.built && score.ranges.missing.length)
    problems.push(`ranges missing: ${score.ranges.missing.join(', ')}`);
  if (score.built && score.derived.missing.length)
    problems.push(`derived values missing: ${score.derived.missing.join(', ')}`);
  return problems;
}

function counted(values: string[], top: number): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, top)
    .map(([v, n]) => (n > 1 ? `${v} ×${n}` : v))
    .join(', ');
}

export function formatFailures(scores: readonly PromptScore[]): string {
  const out: string[] = [];
  for (const score of scores) {
    const problems = failureLines(score);
    if (problems.length === 0) continue;
    const prompt = score.prompt.replace(/\s+/g, ' ');
    out.push(`${score.id} [${score.split}] ${prompt.length > 100 ? `${prompt.slice(0, 97)}...` : prompt}`);
    for (const p of problems) out.push(`    ${p}`);
  }
  const extras = scores.flatMap((s) => (s.outOfScope ? [] : s.extraEntities));
  if (extras.length) out.push('', `Most common extra entities: ${counted(extras, 15)}`);
  const mismatches = scores.flatMap((s) => s.fields.mismatched.map((m) => `${m.expected}→${m.actual}`));
  if (mismatches.length) out.push(`Most common type mismatches (want→got): ${counted(mismatches, 10)}`);
  return out.join('\n');
}

/** One column per split, one row per metric, with the issue's targets. */
export function formatTotals(columns: Array<{ name: string; totals: Totals }>): string {
  const rows: Array<[string, (t: Totals) => string, string]> = [
    ['prompts (in scope)', (t) => `${t.prompts} (${t.inScope})`, ''],
    [
      'apps validate',
      (t) => (t.validation ? pct(t.validation) : 'not run (--no-validate)'),
      `≥ ${TARGETS.validation * 100}%`,
    ],
    ['entity recall', (t) => pct(t.entityRecall), `≥ ${TARGETS.entityRecall * 100}%`],
    ['entity precision', (t) => pct(t.entityPrecision), ''],
    ['field recall', (t) => pct(t.fieldRecall), `≥ ${TARGETS.fieldRecall * 100}%`],
    ['field type mismatches', (t) => String(t.typeMismatches), ''],
    ['relation recall', (t) => pct(t.relationRecall), ''],
    ['range recall', (t) => pct(t.rangeRecall), ''],
    ['out-of-scope refused', (t) => pct(t.outOfScopeRefused), ''],
    ['in-scope refused', (t) => String(t.refusedInScope), ''],
    ['builder crashed', (t) => String(t.crashed), ''],
    ['unrelated apps', (t) => String(t.unrelated), `${TARGETS.unrelated}`],
    ['complete prompts', (t) => pct(t.complete), ''],
    ['derived recall', (t) => `${pct(t.derivedRecall)} (+${t.derivedBeyond} beyond the Spec)`, ''],
  ];
  const header = ['', ...columns.map((c) => c.name), 'target'];
  const table = [
    header,
    ...rows.map(([label, value, target]) => [label, ...columns.map((c) => value(c.totals)), target]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  return table
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
