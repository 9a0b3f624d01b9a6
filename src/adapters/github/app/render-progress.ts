import {
  checklistRows,
  elapsedSince,
  type ChecklistRow,
  type StatusView,
} from '../../../core/conversation/status-view.js';
import {
  TERMINAL_STATUSES,
  type GenerationRequest,
  type ValidationReport,
} from '../../../core/domain/request.js';
import { escapeMarkdown, truncateText } from '../../../core/pull-request-body.js';

const ICON: Record<ChecklistRow['state'], string> = {
  completed: '✅',
  started: '⏳',
  failed: '❌',
  skipped: '⏭️',
  pending: '⬜',
};

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Model and user text shown in the comment: one paragraph-safe, mention-free, bounded block. */
function safe(text: string, max: number): string {
  return escapeMarkdown(truncateText(text.trim(), max));
}

/** The same, on one line (inside emphasis a newline would end it). */
function safeLine(text: string, max: number): string {
  return safe(text.replace(/\s+/g, ' '), max);
}

function link(label: string, url: string): string {
  return `[${label}](${url.replace(/[\s()<>]/g, (c) => encodeURIComponent(c))})`;
}

export function validationLine(validation: ValidationReport | undefined): string | null {
  if (!validation) return null;
  const steps = (['syntax', 'install', 'lint', 'typecheck', 'test', 'build'] as const).flatMap((name) => {
    const step = validation[name];
    return step ? [`${step.ok ? '✅' : '❌'} ${name}`] : [];
  });
  return `${validation.ok ? 'Validation passed' : 'Validation failed'}: ${steps.join(' · ')}`;
}

/** Only image URLs on GitHub itself (the PR branch's files): nothing else is embedded in the issue. */
const GITHUB_IMAGE = /^https:\/\/github\.com\/[^\s()<>"']+\.png\?raw=true$/;

/** The home page as the browser saw it, desktop and phone, linked to the files on the PR branch. */
export function screenshotLine(screenshots: ReadonlyArray<{ file: string; url: string }>): string | null {
  const home = ['home-desktop.png', 'home-phone.png'].flatMap((file) => {
    const shot = screenshots.find((s) => s.file === file && GITHUB_IMAGE.test(s.url));
    return shot ? [shot] : [];
  });
  if (home.length === 0) return null;
  const images = home.map(
    (s) =>
      `<img src="${s.url}" alt="${s.file.includes('phone') ? 'Home page, phone' : 'Home page, desktop'}" height="240">`,
  );
  return `${images.join(' ')}\n\n_The running app in headless Chromium; every page is in the pull request._`;
}

export interface ProgressView {
  request: GenerationRequest;
  view: StatusView;
}

/** The body of the one progress comment: headline, stage checklist, time and cost, then the outcome. */
export function renderProgress({ request, view }: ProgressView): string {
  const iterate = request.kind === 'iterate';
  const finished = TERMINAL_STATUSES.has(view.status);
  const outcome = view.finalMessage ?? '';
  const lines: string[] = [];
  if (!finished) {
    const doing = iterate
      ? 'Autonoma is changing the app for this review'
      : 'Autonoma is building an app from this issue';
    lines.push(`### 🛠️ ${doing}`, '');
    if (view.note) lines.push(`_${safeLine(view.note, 300)}_`, '');
  } else if (view.status === 'succeeded') {
    lines.push(`### ✅ ${iterate ? 'Iteration pushed' : 'Your app is ready'}`, '');
  } else if (view.status === 'cancelled') {
    lines.push('### 🛑 Cancelled', '', safe(outcome, 1000), '');
  } else {
    lines.push(
      `### ❌ ${iterate ? 'The iteration failed' : 'The build failed'}`,
      '',
      safe(outcome, 2000),
      '',
    );
    lines.push(
      iterate
        ? '_Review again to retry._'
        : '_Fix what the message says, then remove and add the label again (or comment `/autonoma build`) to retry._',
      '',
    );
  }
  for (const { label, state } of checklistRows(view)) {
    if (iterate && state === 'pending' && finished) continue;
    lines.push(`- ${ICON[state]} ${label}${state === 'skipped' ? ' (skipped)' : ''}`);
  }
  const elapsed =
    finished && request.finishedAt ? elapsedSince(request, request.finishedAt.getTime()) : view.elapsedMs;
  lines.push('', `⏱️ ${formatDuration(elapsed)} · 💵 $${view.costUsd.toFixed(4)}`);

  const result = request.result;
  if (view.status === 'succeeded' && result) {
    const links = [
      result.pullRequest ? link(`Pull request #${result.pullRequest.number}`, result.pullRequest.url) : null,
      result.repository && /^https?:\/\//.test(result.repository.location)
        ? link(`Repository ${result.repository.name}`, result.repository.location)
        : null,
    ].filter((l): l is string => l !== null);
    if (links.length > 0) lines.push('', `**${links.join(' · ')}**`);
    const validation = validationLine(result.validation);
    if (validation) lines.push('', validation);
    const shots = screenshotLine(result.screenshots ?? []);
    if (shots) lines.push('', shots);
    if (iterate && result.commitSha)
      lines.push('', `Commit ${result.commitSha.slice(0, 7)} on \`${result.branch ?? ''}\`.`);
    lines.push(
      '',
      '<details><summary>Review summary</summary>',
      '',
      safe(result.reviewSummary, 6000),
      '',
      '</details>',
    );
  } else if (view.links.length > 0) {
    lines.push('', view.links.map((l) => link(safe(l.label, 80), l.url)).join(' · '));
  }
  return lines.join('\n');
}
