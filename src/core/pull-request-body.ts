import type { ValidationReport } from './domain/request.js';

/**
 * The pull request description of a generated app, for any forge: what was asked, what was built, how
 * to run it, whether it passed validation, what it cost, and what a reviewer should check. Everything
 * that came from a user or a model is escaped (it cannot open HTML, break out of a code fence or ping
 * anyone) and each section has a character budget, so the body stays below GitHub's 65,536 limit.
 */
export interface PullRequestBodyInput {
  prompt: string;
  source: string;
  threadUrl?: string;
  /** The job's page on `autonoma serve` (a signed, expiring link). */
  jobPageUrl?: string;
  appName: string;
  entities: Array<{ name: string; fields: string[] }>;
  /** What the app does (rules, behaviours), for apps described by behaviour rather than data. */
  behaviours?: string[];
  components?: Array<{ name: string; purpose: string }>;
  endpoints: string[];
  pages: string[];
  files: string[];
  validation?: ValidationReport;
  agents: Array<{ agent: string; durationMs: number; tokensIn: number; tokensOut: number; costUsd: number }>;
  reviewChecklist: string[];
  /** The running app, one row per page: image URLs from the forge (see Forge.imageUrl). */
  screenshots?: Array<{ page: string; desktop?: string; phone?: string }>;
}

export const PULL_REQUEST_BODY_MAX = 60_000;

const BUDGET = {
  prompt: 6_000,
  built: 14_000,
  files: 16_000,
  validation: 9_000,
  agents: 4_000,
  checklist: 4_000,
  screenshots: 6_000,
} as const;
const ITEM_MAX = 300;
const OUTPUT_TAIL = 1_500;

/** Cuts on a code point boundary (never half a surrogate pair), marking the cut. */
export function truncateText(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Markdown- and HTML-inert text: HTML special characters become entities, Markdown punctuation is
 * backslash-escaped, and `@` gets a zero-width joiner so mentions notify nobody.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~=$])/g, '\\$1')
    .replace(/@/g, '@\u2060')
    .replace(/\r\n?/g, '\n');
}

const inline = (text: string) => escapeMarkdown(truncateText(text.replace(/\s+/g, ' ').trim(), ITEM_MAX));

/** A code fence longer than any backtick run inside, so the content cannot close it. */
function fenced(content: string, info = ''): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

/** Adds lines while they fit in `budget`, then says how many were left out. */
function boundedLines(lines: string[], budget: number, noun: string): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget) {
      kept.push(`_…and ${lines.length - kept.length} more ${noun}._`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}

function renderAsked(input: PullRequestBodyInput): string {
  // Truncate before escaping, so a cut never splits an escape sequence or an entity; escaping and
  // quoting can grow the text several-fold, so shorten until the quoted prompt fits its budget.
  const quote = (keep: number) =>
    escapeMarkdown(truncateText(input.prompt.trim(), keep))
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n');
  let keep: number = BUDGET.prompt;
  let quoted = quote(keep);
  while (quoted.length > BUDGET.prompt) {
    keep = Math.floor(keep * 0.8);
    quoted = quote(keep);
  }
  return `## What was asked\n\n${quoted}\n\n_Requested from ${inline(input.source)}._`;
}

function renderBuilt(input: PullRequestBodyInput): string {
  const third = Math.floor(BUDGET.built / 3);
  const entities = boundedLines(
    input.entities.map((e) => `| ${inline(e.name)} | ${inline(e.fields.join(', '))} |`),
    third,
    'entities',
  );
  const lines = [`## What was built\n\n**${inline(input.appName)}**`];
  if (input.entities.length > 0) lines.push('', '| Entity | Fields |', '| --- | --- |', ...entities);
  const behaviours = input.behaviours ?? [];
  if (behaviours.length > 0)
    lines.push(
      '',
      '**What it does**',
      '',
      ...boundedLines(
        behaviours.map((b) => `- ${inline(b)}`),
        third,
        'behaviours',
      ),
    );
  const components = input.components ?? [];
  if (components.length > 0)
    lines.push(
      '',
      '**Components**',
      '',
      ...boundedLines(
        components.map((c) => `- ${inline(c.name)}: ${inline(c.purpose)}`),
        third,
        'components',
      ),
    );
  if (input.endpoints.length > 0) {
    lines.push(
      '',
      '**API**',
      '',
      ...boundedLines(
        input.endpoints.map((e) => `- ${inline(e)}`),
        third,
        'endpoints',
      ),
    );
  }
  if (input.pages.length > 0) {
    lines.push(
      '',
      '**Pages**',
      '',
      ...boundedLines(
        input.pages.map((p) => `- ${inline(p)}`),
        third,
        'pages',
      ),
    );
  }
  return lines.join('\n');
}

/** Paths drawn as an indented tree; it sits in a code fence, so only the fence needs care. */
function renderFiles(files: string[]): string {
  const sorted = [...files].sort();
  const lines: string[] = [];
  let previous: string[] = [];
  for (const file of sorted) {
    const parts = truncateText(file.replace(/[\r\n]/g, ' '), ITEM_MAX).split('/');
    let shared = 0;
    while (shared < parts.length - 1 && parts[shared] === previous[shared]) shared += 1;
    for (let depth = shared; depth < parts.length; depth += 1) {
      const isFile = depth === parts.length - 1;
      lines.push(`${'  '.repeat(depth)}${parts[depth]}${isFile ? '' : '/'}`);
    }
    previous = parts;
  }
  const tree = boundedLines(lines, BUDGET.files, 'lines').join('\n');
  return `<details>\n<summary>Files (${files.length})</summary>\n\n${fenced(tree, 'text')}\n\n</details>`;
}

const HOW_TO_RUN = [
  '## How to run it',
  '',
  fenced(
    'npm ci\nnpm run dev      # start the app\nnpm test         # run its tests\nnpm run build    # production build',
    'sh',
  ),
].join('\n');

function renderValidation(report: ValidationReport | undefined): string {
  if (!report) return '## Validation\n\n_Not run._';
  const steps = (['syntax', 'workflows', 'install', 'lint', 'typecheck', 'test', 'build'] as const).flatMap(
    (name) => {
      const step = report[name];
      return step ? [{ name, ...step }] : [];
    },
  );
  const rows = steps.map(
    (s) => `| ${s.name} | ${s.ok ? '✅ passed' : '❌ failed'} | ${(s.durationMs / 1000).toFixed(1)} s |`,
  );
  const failures = steps
    .filter((s) => !s.ok && s.output)
    .map((s) => {
      const output = s.output ?? '';
      const tail = output.length > OUTPUT_TAIL ? `…${output.slice(-OUTPUT_TAIL)}` : output;
      return `<details>\n<summary>${s.name} output</summary>\n\n${fenced(tail.replace(/\r\n?/g, '\n'), 'text')}\n\n</details>`;
    });
  const looked = lookLines(report);
  const body = [
    `## Validation\n\n${report.ok ? '✅ All checks passed' : '❌ Some checks failed'}` +
      (report.repairRounds > 0 ? ` after ${report.repairRounds} repair round(s).` : '.'),
    '',
    '| Step | Result | Time |',
    '| --- | --- | --- |',
    ...rows,
    ...(autofixLine(report) ? ['', autofixLine(report)!] : []),
    ...(looked.length > 0 ? ['', ...looked] : []),
    ...(report.lockfile?.resolved
      ? [
          '',
          `\`package-lock.json\` was resolved by Autonoma from \`package.json\` (${inline(report.lockfile.reason)}).`,
        ]
      : []),
    ...(failures.length > 0 ? ['', ...failures] : []),
  ].join('\n');
  if (body.length <= BUDGET.validation) return body;
  return `${body.split('\n\n<details>')[0]}\n\n_Failure output left out: too long._`;
}

/** What the app's own formatter and linter fixed before the checks, as plain text; null when nothing. */
export function autofixLine(report: ValidationReport | undefined): string | null {
  const autofix = report?.autofix;
  const fixed = autofix?.files.length ?? 0;
  if (!autofix || fixed === 0) return null;
  // Plain text that is also inert Markdown: tool names are words like `eslint+prettier`.
  const tool = /^[a-z0-9+-]{1,40}$/.test(autofix.tool) ? autofix.tool : 'fixer';
  return `Autofix (${tool}): ${fixed} file${fixed === 1 ? '' : 's'} fixed — no repair round needed`;
}

/**
 * What headless Chromium saw of the running app, as Markdown lines:
 * sections photographed, the record created, or what went wrong; a notice when it could not look.
 */
export function lookLines(report: ValidationReport | undefined): string[] {
  const look = report?.look;
  if (!look) return [];
  if (look.notice) return [look.notice];
  const shots = look.screenshots.length;
  const pages = new Set(look.screenshots.filter((s) => s.name !== 'created').map((s) => s.name)).size;
  const head = look.ok
    ? `Seen running in Chromium: ${pages} page${pages === 1 ? '' : 's'} at desktop and phone width (${shots} screenshots), no console errors`
    : `Started and opened in Chromium: ${shots} screenshot${shots === 1 ? '' : 's'}, with problems`;
  // Only the section names and problems come from the app (untrusted): those are escaped.
  const smoke = look.smoke?.ok && look.smoke.detail ? [`Smoke check: ${inline(look.smoke.detail)}.`] : [];
  return [`${head}.`, ...smoke, ...look.problems.map((problem) => `- ${inline(problem)}`)];
}

function renderAgents(agents: PullRequestBodyInput['agents']): string {
  if (agents.length === 0) return '';
  const rows = agents.map(
    (a) =>
      `| ${inline(a.agent)} | ${(a.durationMs / 1000).toFixed(1)} s | ${a.tokensIn.toLocaleString('en-US')} | ${a.tokensOut.toLocaleString('en-US')} | $${a.costUsd.toFixed(4)} |`,
  );
  const total = agents.reduce(
    (sum, a) => ({
      durationMs: sum.durationMs + a.durationMs,
      tokensIn: sum.tokensIn + a.tokensIn,
      tokensOut: sum.tokensOut + a.tokensOut,
      costUsd: sum.costUsd + a.costUsd,
    }),
    { durationMs: 0, tokensIn: 0, tokensOut: 0, costUsd: 0 },
  );
  return [
    '## Time and cost',
    '',
    '| Agent | Time | Tokens in | Tokens out | Cost |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...boundedLines(rows, BUDGET.agents, 'agents'),
    `| **Total** | ${(total.durationMs / 1000).toFixed(1)} s | ${total.tokensIn.toLocaleString('en-US')} | ${total.tokensOut.toLocaleString('en-US')} | $${total.costUsd.toFixed(4)} |`,
  ].join('\n');
}

function renderChecklist(items: string[]): string {
  if (items.length === 0) return '';
  return [
    '## What to check',
    '',
    ...boundedLines(
      items.map((i) => `- [ ] ${inline(i)}`),
      BUDGET.checklist,
      'items',
    ),
  ].join('\n');
}

/** An http(s) URL made safe inside a Markdown link target, or undefined. */
function markdownUrl(text: string | undefined): string | undefined {
  let url: URL | undefined;
  try {
    url = text ? new URL(text) : undefined;
  } catch {
    url = undefined;
  }
  return url && (url.protocol === 'https:' || url.protocol === 'http:')
    ? // encodeURIComponent leaves ( and ) alone, and a ) would end the Markdown link.
      url.href.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
    : undefined;
}

function renderFooter(input: PullRequestBodyInput): string {
  const thread = markdownUrl(input.threadUrl);
  const jobPage = markdownUrl(input.jobPageUrl);
  return (
    `---\n_Generated by Autonoma${thread ? ` from [this conversation](${thread})` : ''}. Reply in the thread or review this pull request to ask for changes._` +
    (jobPage
      ? `\n\n_[Job page](${jobPage}): live stages, agents, validation log, files and screenshots (the link expires)._`
      : '')
  );
}

/** Only URLs Autonoma built (forge image URLs): anything that could break out of the Markdown is dropped. */
const SAFE_IMAGE_URL = /^(https:\/\/[^\s()<>"'\\]+|[A-Za-z0-9._/-]+\.png)$/;

function renderScreenshots(rows: NonNullable<PullRequestBodyInput['screenshots']>): string {
  const image = (url: string | undefined, alt: string) =>
    url && SAFE_IMAGE_URL.test(url)
      ? `<img src="${url}" alt="${alt}" width="${alt.endsWith('phone') ? 180 : 480}">`
      : '—';
  const lines = rows.map((row) => {
    const page = inline(row.page);
    const alt = page.replace(/["<>&]/g, '');
    return `| ${page} | ${image(row.desktop, `${alt}, desktop`)} | ${image(row.phone, `${alt}, phone`)} |`;
  });
  if (lines.length === 0) return '';
  return [
    '## Screenshots',
    '',
    'The app as headless Chromium saw it after validation, running in the sandbox.',
    '',
    '| Page | Desktop | Phone |',
    '| --- | --- | --- |',
    ...boundedLines(lines, BUDGET.screenshots, 'pages'),
  ].join('\n');
}

export function renderPullRequestBody(input: PullRequestBodyInput): string {
  const body = [
    renderAsked(input),
    renderBuilt(input),
    renderScreenshots(input.screenshots ?? []),
    renderFiles(input.files),
    HOW_TO_RUN,
    renderValidation(input.validation),
    renderAgents(input.agents),
    renderChecklist(input.reviewChecklist),
    renderFooter(input),
  ]
    .filter((section) => section.length > 0)
    .join('\n\n');
  // The budgets keep this from happening; the guard keeps the promise even if they are changed.
  return body.length <= PULL_REQUEST_BODY_MAX
    ? `${body}\n`
    : `${body.slice(0, PULL_REQUEST_BODY_MAX - 40)}\n\n_…truncated._\n`;
}
