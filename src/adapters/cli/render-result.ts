import path from 'node:path';
import type { GenerationRequest, JobResult } from '../../core/domain/request.js';
import { autofixLine } from '../../core/pull-request-body.js';

/** The one JSON object `autonoma build --json` and `autonoma status --json` print. */
export function resultJson(request: GenerationRequest) {
  const result = request.result;
  return {
    status: request.status,
    requestId: request.id,
    prompt: request.prompt,
    ...(request.errorMessage ? { error: { code: request.errorCode, message: request.errorMessage } } : {}),
    ...(result
      ? {
          appName: result.appName,
          entities: result.entities,
          ...(result.outline ? { outline: result.outline } : {}),
          files: result.files,
          repository: result.repository,
          branch: result.branch,
          commitSha: result.commitSha,
          pullRequest: result.pullRequest,
          validation: result.validation,
          screenshots: result.screenshots ?? [],
          timingsMs: result.timingsMs,
          tokens: result.tokens,
          costUsd: result.costUsd,
        }
      : {}),
    createdAt: request.createdAt.toISOString(),
    finishedAt: request.finishedAt?.toISOString() ?? null,
  };
}

/** What the browser saw: where the screenshots are, the smoke check, and any problem, one line each. */
function lookText(result: JobResult): string[] {
  const look = result.validation?.look;
  if (!look) return [];
  if (look.notice) return [`  ${look.notice}`];
  const shots = result.screenshots ?? [];
  const local = shots.length > 0 && !/^https?:\/\//.test(shots[0]!.url);
  const where =
    shots.length === 0 ? '' : local ? ` in ${path.dirname(shots[0]!.url)}` : ` (${shots[0]!.url} …)`;
  return [
    `  Screenshots: ${shots.length}${where}`,
    ...(look.smoke?.detail && look.smoke.ok ? [`  Smoke check: ${look.smoke.detail}`] : []),
    ...look.problems.map((problem) => `  ⚠ ${problem}`),
  ];
}

/** Human summary: where the result is and what to do next. */
export function resultText(request: GenerationRequest): string {
  const result = request.result;
  if (request.status === 'succeeded' && result) {
    const lines = [
      `✔ ${result.appName} is ready (${result.files} files, ${result.entities.length > 0 ? result.entities.join(', ') : (result.outline ?? 'no entities')}).`,
      `  Repository: ${result.repository?.location ?? '?'}`,
      `  Branch:     ${result.branch ?? '?'}`,
      `  Pull request #${result.pullRequest?.number ?? '?'}: ${result.pullRequest?.title ?? ''}`,
    ];
    if (result.repository?.forge === 'local') {
      lines.push(
        `  Review it:  git -C ${result.repository.location} diff main...${result.branch}`,
        `  Run it:     git clone -b ${result.branch} ${result.repository.location} ${result.slug} && cd ${result.slug} && npm ci && npm run dev`,
      );
    } else if (result.pullRequest) {
      lines.push(`  Open it:    ${result.pullRequest.url}`);
    }
    const autofix = autofixLine(result.validation);
    if (autofix) lines.push(`  ${autofix}`);
    lines.push(...lookText(result));
    lines.push(`  Request id: ${request.id}`);
    return lines.join('\n');
  }
  if (request.status === 'failed')
    return `✖ Failed: ${request.errorMessage ?? 'unknown error'}\n  Request id: ${request.id}`;
  if (request.status === 'cancelled')
    return `– Cancelled: ${request.errorMessage ?? ''}\n  Request id: ${request.id}`;
  return `${request.status} — stage ${request.stage ?? 'queued'}, ${request.percent}%\n  Request id: ${request.id}`;
}
