import { STAGES, type ProgressEvent, type Stage } from '../../../core/domain/progress.js';
import type { GenerationRequest, ValidationReport } from '../../../core/domain/request.js';
import { escapeMarkdown, truncateText } from '../../../core/pull-request-body.js';
import type { ProgressState, StageState } from './progress-state.js';

const ICON: Record<StageState | 'pending', string> = {
  completed: '✅',
  started: '⏳',
  failed: '❌',
  skipped: '⏭️',
  pending: '⬜',
};

const LABEL: Record<Stage, string> = {
  queued: 'Queued',
  requirements: 'Requirements',
  architecture: 'Architecture',
  frontend: 'Frontend',
  backend: 'Backend',
  security: 'Security review',
  performance: 'Performance review',
  deployment: 'Deployment',
  testing: 'Tests',
  validation: 'Validation (install, typecheck, tests, build)',
  review: 'Code review',
  publish: 'Publish',
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

export interface ProgressView {
  request: GenerationRequest;
  event: ProgressEvent;
  state: ProgressState;
}

/** The body of the one progress comment: headline, stage checklist, time and cost, then the outcome. */
export function renderProgress({ request, event, state }: ProgressView): string {
  const iterate = request.kind === 'iterate';
  const lines: string[] = [];
  if (event.type !== 'finished') {
    const doing = iterate
      ? 'Autonoma is changing the app for this review'
      : 'Autonoma is building an app from this issue';
    lines.push(`### 🛠️ ${doing}`, '');
    if (event.type === 'stage' || state.note)
      lines.push(`_${safeLine(event.type === 'stage' ? event.message : state.note!, 300)}_`, '');
  } else if (event.status === 'succeeded') {
    lines.push(`### ✅ ${iterate ? 'Iteration pushed' : 'Your app is ready'}`, '');
  } else if (event.status === 'cancelled') {
    lines.push('### 🛑 Cancelled', '', safe(event.message, 1000), '');
  } else {
    lines.push(
      `### ❌ ${iterate ? 'The iteration failed' : 'The build failed'}`,
      '',
      safe(event.message, 2000),
      '',
    );
    lines.push(
      iterate
        ? '_Review again to retry._'
        : '_Fix what the message says, then remove and add the label again (or comment `/autonoma build`) to retry._',
      '',
    );
  }
  for (const stage of STAGES) {
    if (stage === 'queued') continue;
    const stageState = state.stages[stage];
    if (iterate && stageState === undefined && event.type === 'finished') continue;
    lines.push(
      `- ${ICON[stageState ?? 'pending']} ${LABEL[stage]}${stageState === 'skipped' ? ' (skipped)' : ''}`,
    );
  }
  const started = request.startedAt ?? request.createdAt;
  const until = event.type === 'finished' && request.finishedAt ? request.finishedAt : new Date(event.at);
  const cost = request.result?.costUsd ?? state.costUsd;
  lines.push('', `⏱️ ${formatDuration(until.getTime() - started.getTime())} · 💵 $${cost.toFixed(4)}`);

  const result = request.result;
  if (event.type === 'finished' && event.status === 'succeeded' && result) {
    const links = [
      result.pullRequest ? link(`Pull request #${result.pullRequest.number}`, result.pullRequest.url) : null,
      result.repository && /^https?:\/\//.test(result.repository.location)
        ? link(`Repository ${result.repository.name}`, result.repository.location)
        : null,
    ].filter((l): l is string => l !== null);
    if (links.length > 0) lines.push('', `**${links.join(' · ')}**`);
    const validation = validationLine(result.validation);
    if (validation) lines.push('', validation);
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
  } else if (state.links.length > 0) {
    lines.push('', state.links.map((l) => link(safe(l.label, 80), l.url)).join(' · '));
  }
  return lines.join('\n');
}
