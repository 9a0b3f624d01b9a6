import { STAGES, type Link, type ProgressEvent, type Stage } from '../../core/domain/progress.js';
import type { GenerationRequest, RequestStatus } from '../../core/domain/request.js';

export type StageState = 'started' | 'completed' | 'failed' | 'skipped';

/** Everything the status message shows, folded from the stored request and its progress events. */
export interface StatusView {
  requestId?: string;
  kind: 'build' | 'iterate';
  prompt: string;
  status: RequestStatus;
  stages: Partial<Record<Stage, StageState>>;
  currentStage?: Stage;
  stageMessage?: string;
  percent: number;
  elapsedMs: number;
  costUsd: number;
  /** The review summary on success, the error on failure or cancel. */
  finalMessage?: string;
  errorCode?: string;
  links: Link[];
}

/** The view of a request that has just been accepted (before a job id exists, or after a restart). */
export function initialView(
  request: Pick<GenerationRequest, 'kind' | 'prompt'> & Partial<GenerationRequest>,
): StatusView {
  const view: StatusView = {
    kind: request.kind,
    prompt: request.prompt,
    status: request.status ?? 'queued',
    stages: {},
    percent: request.percent ?? 0,
    elapsedMs: 0,
    costUsd: 0,
    links: [],
  };
  if (request.id) view.requestId = request.id;
  // After a restart the events so far are gone: mark what the stored stage says is behind us.
  const stored = STAGES.indexOf(request.stage as Stage);
  if (request.status === 'running' && stored > 0) {
    for (const stage of STAGES.slice(0, stored)) view.stages[stage] = 'completed';
    view.stages[STAGES[stored] as Stage] = 'started';
    view.currentStage = STAGES[stored];
  }
  return view;
}

function elapsed(request: GenerationRequest, at: string): number {
  const start = (request.startedAt ?? request.createdAt).getTime();
  return Math.max(0, new Date(at).getTime() - start);
}

export function applyEvent(view: StatusView, event: ProgressEvent, request: GenerationRequest): StatusView {
  const next: StatusView = {
    ...view,
    requestId: request.id,
    stages: { ...view.stages },
    percent: Math.max(view.percent, event.percent),
    elapsedMs: elapsed(request, event.at),
  };
  switch (event.type) {
    case 'stage':
      next.status = next.status === 'queued' && event.stage !== 'queued' ? 'running' : next.status;
      if (event.stage === 'queued' && event.state === 'completed') next.status = 'running';
      next.stages[event.stage] = event.state;
      next.currentStage = event.stage;
      next.stageMessage = event.message;
      if (event.costUsd !== undefined) next.costUsd = event.costUsd;
      return next;
    case 'milestone':
      if (event.links.length > 0) next.links = mergeLinks(next.links, event.links);
      return next;
    case 'finished':
      next.status = event.status;
      next.percent = event.status === 'succeeded' ? 100 : next.percent;
      next.finalMessage = event.message;
      if (event.errorCode) next.errorCode = event.errorCode;
      next.links = mergeLinks(next.links, event.links);
      if (request.result) next.costUsd = Math.max(next.costUsd, request.result.costUsd);
      if (event.status === 'failed' && next.currentStage && next.stages[next.currentStage] === 'started') {
        next.stages[next.currentStage] = 'failed';
      }
      return next;
  }
}

function mergeLinks(existing: Link[], added: Link[]): Link[] {
  const byUrl = new Map(existing.map((l) => [l.url, l]));
  for (const link of added) byUrl.set(link.url, link);
  return [...byUrl.values()];
}

/** The pull request link, whichever event carried it. */
export function pullRequestUrl(view: StatusView): string | undefined {
  return view.links.find((l) => /pull request/i.test(l.label))?.url;
}
