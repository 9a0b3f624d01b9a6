import type { Request, Response } from 'express';
import type { ProgressEvent } from '../../../core/domain/progress.js';
import type { GenerationRequest } from '../../../core/domain/request.js';
import type { JobStore } from '../../../core/ports/job-store.js';
import { jobAccess } from './access.js';
import type { BranchFiles } from './branch-files.js';
import { renderFiles } from './files-view.js';
import { html, linkOrText, raw, type SafeHtml } from './html.js';
import { sendPage } from './layout.js';
import { LIVE_SCRIPT } from './live-script.js';
import type { JobPreviews } from './preview-types.js';
import { renderPreview } from './preview-view.js';
import { agentRows, renderAgents, renderScreenshots, renderValidation } from './result-view.js';
import { buildTimeline } from './timeline.js';
import { renderStatus, renderTimeline, renderUpdates } from './timeline-view.js';

export interface PageRouteDeps {
  store: Pick<JobStore, 'listAgentRuns'>;
  replay(requestId: string): Promise<ProgressEvent[]>;
  files: BranchFiles;
  previews?: { manager: Pick<JobPreviews, 'status'>; lifetimeMs: number };
}

function renderHeader(request: GenerationRequest): SafeHtml {
  const result = request.result;
  return html`<h1>${result?.appName ?? (request.kind === 'iterate' ? 'Change request' : 'New app')}</h1>
    <p class="muted">
      Autonoma job <code>${request.id}</code>, from ${request.source}, started
      ${request.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC
    </p>
    <section aria-labelledby="prompt-heading">
      <h2 id="prompt-heading">
        ${request.kind === 'iterate' ? 'What was asked to change' : 'What was asked'}
      </h2>
      <blockquote class="prompt">${request.prompt}</blockquote>
    </section>`;
}

function renderOutcome(request: GenerationRequest): SafeHtml {
  const result = request.result;
  const lines: SafeHtml[] = [];
  if (request.errorMessage) lines.push(html`<p role="alert">${request.errorMessage}</p>`);
  if (result?.pullRequest)
    lines.push(
      html`<p>
        Pull request:
        ${linkOrText(result.pullRequest.url, `#${result.pullRequest.number} ${result.pullRequest.title}`)}
      </p>`,
    );
  if (result?.repository)
    lines.push(
      html`<p>
        Repository:
        ${linkOrText(result.repository.location, result.repository.name)}${result.branch ? html`, branch <code>${result.branch}</code>` : ''}
      </p>`,
    );
  if (result?.reviewSummary)
    lines.push(
      html`<details>
        <summary>Review summary</summary>
        <pre>${result.reviewSummary}</pre>
      </details>`,
    );
  return lines.length > 0 ? html`<section aria-label="Outcome">${lines}</section>` : html``;
}

/** GET /jobs/:id: the whole job on one server-rendered page; the inline script keeps it live. */
export function pageRoute(deps: PageRouteDeps) {
  return async (req: Request, res: Response) => {
    const { request, token } = jobAccess(res);
    const selected =
      typeof req.query.file === 'string' && req.query.file.length <= 500 ? req.query.file : undefined;
    const [events, runs, files] = await Promise.all([
      deps.replay(request.id),
      deps.store.listAgentRuns(request.id),
      deps.files.load(request.result),
    ]);
    const timeline = buildTimeline(request, events);
    const eventsUrl = `${encodeURIComponent(request.id)}/events?t=${encodeURIComponent(token)}`;
    const body = html`<div id="job" data-events="${eventsUrl}" data-status="${timeline.status}">
      ${renderHeader(request)} ${renderStatus(timeline)} ${renderOutcome(request)}
      ${
        deps.previews && request.result?.branch
          ? renderPreview({
              id: request.id,
              token,
              status: deps.previews.manager.status(request.id),
              lifetimeMs: deps.previews.lifetimeMs,
            })
          : ''
      }
      ${renderTimeline(timeline)} ${renderUpdates(timeline)}
      ${renderAgents(agentRows(runs, request.result), request.result)}
      ${renderValidation(request.result?.validation)} ${renderScreenshots(request.result, request.id, token)}
      ${renderFiles(files, token, selected)}
    </div>`;
    sendPage(res, 200, {
      title: `${request.result?.appName ?? 'Job'} · Autonoma`,
      body,
      script: raw(LIVE_SCRIPT),
    });
  };
}
