import type { JobResult, ValidationReport } from '../../../core/domain/request.js';
import type { AgentRunSummary } from '../../../core/ports/job-store.js';
import { formatCost, formatCount, formatDuration } from './format.js';
import { html, type SafeHtml } from './html.js';

/** Output tails shown per validation step; the full output is in the stored report, bounded there too. */
const OUTPUT_MAX = 20_000;

interface AgentRow {
  agent: string;
  runs: number;
  running: boolean;
  durationMs: number | undefined;
  tokensIn: number;
  tokensOut: number;
  costUsd: number | undefined;
}

/** Per agent role: the stored runs added up, or, without them, what the job result recorded. */
export function agentRows(runs: AgentRunSummary[], result: JobResult | null): AgentRow[] {
  if (runs.length > 0) {
    const rows = new Map<string, AgentRow>();
    for (const run of runs) {
      const row = rows.get(run.agentType) ?? {
        agent: run.agentType,
        runs: 0,
        running: false,
        durationMs: 0,
        tokensIn: 0,
        tokensOut: 0,
        costUsd: 0,
      };
      row.runs += 1;
      row.running ||= run.durationMs === null;
      row.durationMs = (row.durationMs ?? 0) + (run.durationMs ?? 0);
      row.tokensIn += run.tokensIn;
      row.tokensOut += run.tokensOut;
      row.costUsd = (row.costUsd ?? 0) + run.costUsd;
      rows.set(run.agentType, row);
    }
    return [...rows.values()];
  }
  return Object.entries(result?.agentTokens ?? {}).map(([agent, tokens]) => ({
    agent,
    runs: 1,
    running: false,
    durationMs: result?.timingsMs[agent],
    tokensIn: tokens.input,
    tokensOut: tokens.output,
    costUsd: undefined,
  }));
}

export function renderAgents(rows: AgentRow[], result: JobResult | null): SafeHtml {
  if (rows.length === 0) return html``;
  const total = rows.reduce(
    (sum, r) => ({ in: sum.in + r.tokensIn, out: sum.out + r.tokensOut, cost: sum.cost + (r.costUsd ?? 0) }),
    { in: 0, out: 0, cost: 0 },
  );
  // Stored runs are the finer record (a retried job's result counts only its last attempt).
  const cost = rows.every((r) => r.costUsd !== undefined) ? total.cost : (result?.costUsd ?? 0);
  return html`<section aria-labelledby="agents-heading">
    <h2 id="agents-heading">Agents</h2>
    <table id="agents">
      <caption class="muted">
        Time, tokens and cost per agent, repairs included
      </caption>
      <thead>
        <tr>
          <th scope="col">Agent</th>
          <th scope="col" class="number">Runs</th>
          <th scope="col" class="number">Time</th>
          <th scope="col" class="number">Tokens in</th>
          <th scope="col" class="number">Tokens out</th>
          <th scope="col" class="number">Cost</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <th scope="row">${r.agent}</th>
              <td class="number">${r.runs}</td>
              <td class="number">
                ${r.running ? 'running' : r.durationMs === undefined ? '—' : formatDuration(r.durationMs)}
              </td>
              <td class="number">${formatCount(r.tokensIn)}</td>
              <td class="number">${formatCount(r.tokensOut)}</td>
              <td class="number">${r.costUsd === undefined ? '—' : formatCost(r.costUsd)}</td>
            </tr> `,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td></td>
          <td></td>
          <td class="number">${formatCount(total.in)}</td>
          <td class="number">${formatCount(total.out)}</td>
          <td class="number">${formatCost(cost)}</td>
        </tr>
      </tfoot>
    </table>
  </section>`;
}

const STEPS = [
  ['syntax', 'Syntax'],
  ['workflows', 'Workflows'],
  ['install', 'Install'],
  ['lint', 'Lint'],
  ['typecheck', 'Type check'],
  ['test', 'Tests'],
  ['build', 'Build'],
] as const;

const tail = (text: string) => (text.length > OUTPUT_MAX ? `…${text.slice(-OUTPUT_MAX)}` : text);

export function renderValidation(report: ValidationReport | undefined): SafeHtml {
  if (!report) return html``;
  const steps = STEPS.flatMap(([key, label]) => {
    const step = report[key];
    if (!step) return [];
    const summary = `${label}: ${step.ok ? 'passed' : 'failed'} in ${formatDuration(step.durationMs)}`;
    return [
      step.output
        ? html`<li><details${step.ok ? '' : html` open`}><summary>${summary}</summary><pre>${tail(step.output)}</pre></details></li>
`
        : html`<li>${summary}</li> `,
    ];
  });
  const look = report.look;
  return html`<section aria-labelledby="validation-heading">
    <h2 id="validation-heading">Validation</h2>
    <p>
      ${report.ok ? 'Validation passed' : 'Validation failed'}${report.repairRounds > 0 ? ` after ${report.repairRounds} repair round${report.repairRounds === 1 ? '' : 's'}` : ''}.
    </p>
    <ul id="validation">
      ${steps}${report.autofix ? html`<li>Autofix (${report.autofix.tool}): ${report.autofix.ok ? 'passed' : 'failed'}, ${report.autofix.files.length} file(s) fixed</li> ` : ''}${
        look
          ? html`<li><details${look.ok ? '' : html` open`}><summary>Looked at the running app: ${look.notice ?? (look.ok ? 'no problems' : `${look.problems.length} problem(s)`)}</summary><pre>${
              [
                ...look.problems,
                ...look.consoleErrors.map((e) => `console: ${e}`),
                ...(look.smoke
                  ? [
                      `smoke test: ${look.smoke.ok ? 'passed' : 'failed'}${look.smoke.detail ? ` (${look.smoke.detail})` : ''}`,
                    ]
                  : []),
              ].join('\n') || 'Nothing to report.'
            }</pre></details></li>
`
          : ''
      }
    </ul>
  </section>`;
}

/** Screenshots come through this server (from the branch): private repositories show too. */
export function renderScreenshots(result: JobResult | null, id: string, token: string): SafeHtml {
  const shots = result?.screenshots ?? [];
  if (shots.length === 0) return html``;
  const t = encodeURIComponent(token);
  return html`<section aria-labelledby="screenshots-heading">
    <h2 id="screenshots-heading">Screenshots</h2>
    <ul class="screenshots">
      ${shots.map((shot) => {
        const alt = shot.file.replace(/\.png$/, '').replace(/[-_]+/g, ' ');
        return html`<li>
          <figure>
            <img
              src="${`${encodeURIComponent(id)}/screenshots/${encodeURIComponent(shot.file)}?t=${t}`}"
              alt="${`Screenshot: ${alt}`}"
              loading="lazy"
            />
            <figcaption>${shot.file}</figcaption>
          </figure>
        </li> `;
      })}
    </ul>
  </section>`;
}
