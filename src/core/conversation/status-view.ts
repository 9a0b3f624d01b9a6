import { STAGE_LABELS, STAGES, type Link, type ProgressEvent, type Stage } from '../domain/progress.js';
import { TERMINAL_STATUSES, type GenerationRequest, type RequestStatus } from '../domain/request.js';

/**
 * The status of a job as every surface shows it (Slack, Discord, GitHub, the CLI, the job page):
 * one fold of progress events, rendered by each adapter in its own format. Platform-free.
 *
 * Use: `initialView(request)` once, `applyEvent(view, event, request)` per event, then render
 * `checklistRows(view)` (stage labels come from STAGE_LABELS), `pullRequestUrl(view)` and the fields.
 */

/** Where one stage is; a stage with no mark yet is pending. */
export type StageState = 'started' | 'completed' | 'failed' | 'skipped';

export interface StatusView {
  /** Absent only before the request has an id (the first status message of a Slack command). */
  requestId?: string;
  kind: 'build' | 'iterate';
  prompt: string;
  status: RequestStatus;
  stages: Partial<Record<Stage, StageState>>;
  /** The last message each stage reported ("Writing the React pages"). */
  messages: Partial<Record<Stage, string>>;
  /** The stage of the latest stage event. */
  currentStage?: Stage;
  /** The latest stage or milestone message: one line of "what is happening now". */
  note?: string;
  /** The milestone messages so far, oldest first (the last MAX_MILESTONES). */
  milestones: string[];
  percent: number;
  elapsedMs: number;
  costUsd: number;
  /** The review summary on success, the error on failure or cancel. */
  finalMessage?: string;
  errorCode?: string;
  /** Every link reported so far (pull request, repository, spec…), one per URL. */
  links: Link[];
}

/** What the fold reads from the stored request; the CLI follows events without one. */
export type RequestFacts = Pick<GenerationRequest, 'id' | 'createdAt' | 'startedAt' | 'result'>;

export const MAX_MILESTONES = 10;

/** How long the request has run at `atMs` (since it started, or since it was queued). */
export function elapsedSince(request: Pick<RequestFacts, 'createdAt' | 'startedAt'>, atMs: number): number {
  return Math.max(0, atMs - (request.startedAt ?? request.createdAt).getTime());
}

/**
 * The view of a request as stored: just accepted (no id yet is fine), or met for the first time by
 * a server that missed its events (restart, another replica). Then the stored stage says how far it
 * got: every earlier stage is shown completed.
 */
export function initialView(
  request: Pick<GenerationRequest, 'kind' | 'prompt'> & Partial<GenerationRequest>,
): StatusView {
  const status = request.status ?? 'queued';
  const view: StatusView = {
    kind: request.kind,
    prompt: request.prompt,
    status,
    stages: {},
    messages: {},
    milestones: [],
    percent: request.percent ?? 0,
    elapsedMs: 0,
    costUsd: request.result?.costUsd ?? 0,
    links: [],
  };
  if (request.id) view.requestId = request.id;
  const stored = STAGES.indexOf(request.stage as Stage);
  if (status !== 'queued' && stored > 0) {
    for (const stage of STAGES.slice(0, stored)) view.stages[stage] = 'completed';
    const current = STAGES[stored] as Stage;
    view.currentStage = current;
    const mark = STORED_STAGE_MARK[status];
    if (mark) view.stages[current] = mark;
  }
  // A build that succeeded went through every stage, whatever the stored stage says.
  if (status === 'succeeded') for (const stage of STAGES) view.stages[stage] = 'completed';
  if (TERMINAL_STATUSES.has(status)) {
    const result = request.result ?? undefined;
    const message = status === 'succeeded' ? result?.reviewSummary : request.errorMessage;
    if (message) view.finalMessage = message;
    if (request.errorCode) view.errorCode = request.errorCode;
    if (status === 'succeeded') view.percent = 100;
    if (result?.pullRequest) view.links.push({ label: 'Pull request', url: result.pullRequest.url });
    if (result?.repository) view.links.push({ label: 'Repository', url: result.repository.location });
    if (request.createdAt && request.finishedAt) {
      view.elapsedMs = elapsedSince(
        { createdAt: request.createdAt, startedAt: request.startedAt ?? null },
        request.finishedAt.getTime(),
      );
    }
  }
  return view;
}

/** The mark of the stored stage itself, by request status (cancelled: unknown, left pending). */
const STORED_STAGE_MARK: Partial<Record<RequestStatus, StageState>> = {
  running: 'started',
  failed: 'failed',
  succeeded: 'completed',
};

/** Folds one progress event into the view (pure: returns a new view). */
export function applyEvent(view: StatusView, event: ProgressEvent, request?: RequestFacts): StatusView {
  const next: StatusView = {
    ...view,
    stages: { ...view.stages },
    messages: { ...view.messages },
    percent: Math.max(view.percent, event.percent),
  };
  if (request) {
    next.requestId = request.id;
    next.elapsedMs = elapsedSince(request, Date.parse(event.at));
  }
  switch (event.type) {
    case 'stage':
      if (event.stage === 'queued') {
        // A job picked up (again): a new attempt starts a fresh checklist.
        next.stages = {};
        next.messages = {};
        if (event.state === 'completed') next.status = 'running';
      } else if (next.status === 'queued') {
        next.status = 'running';
      }
      next.stages[event.stage] = event.state;
      next.messages[event.stage] = event.message;
      next.currentStage = event.stage;
      next.note = event.message;
      if (event.costUsd !== undefined) next.costUsd = event.costUsd;
      return next;
    case 'milestone':
      next.note = event.message;
      next.milestones = [...view.milestones, event.message].slice(-MAX_MILESTONES);
      if (event.links.length > 0) next.links = mergeLinks(next.links, event.links);
      return next;
    case 'finished': {
      next.status = event.status;
      if (event.status === 'succeeded') next.percent = 100;
      // The stored review summary is the whole text; the event's copy is bounded by the bus.
      next.finalMessage =
        (event.status === 'succeeded' ? request?.result?.reviewSummary : undefined) ?? event.message;
      if (event.errorCode) next.errorCode = event.errorCode;
      next.links = mergeLinks(next.links, event.links);
      if (request?.result) next.costUsd = Math.max(next.costUsd, request.result.costUsd);
      const current = next.currentStage;
      if (event.status === 'failed' && current && next.stages[current] === 'started') {
        next.stages[current] = 'failed';
      }
      return next;
    }
  }
}

function mergeLinks(existing: Link[], added: Link[]): Link[] {
  const byUrl = new Map(existing.map((l) => [l.url, l]));
  for (const link of added) byUrl.set(link.url, link);
  return [...byUrl.values()];
}

/** The pull request link, whichever event carried it. */
export function pullRequestUrl(view: Pick<StatusView, 'links'>): string | undefined {
  return view.links.find((l) => /pull request/i.test(l.label))?.url;
}

/** A stage's display name; a stored stage string that is no known stage is shown as it is. */
export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage as Stage] ?? stage;
}

export interface ChecklistRow {
  stage: Stage;
  label: string;
  state: StageState | 'pending';
  /** The stage of the latest stage event. */
  current: boolean;
  /** The stage's last message, if it reported one. */
  message?: string;
}

/** The stage checklist in display order; `queued` is left out unless asked for. */
export function checklistRows(
  view: Pick<StatusView, 'stages'> & Partial<Pick<StatusView, 'messages' | 'currentStage'>>,
  options: { includeQueued?: boolean } = {},
): ChecklistRow[] {
  return STAGES.filter((stage) => options.includeQueued || stage !== 'queued').map((stage) => {
    const row: ChecklistRow = {
      stage,
      label: STAGE_LABELS[stage],
      state: view.stages[stage] ?? 'pending',
      current: view.currentStage === stage,
    };
    const message = view.messages?.[stage];
    if (message !== undefined) row.message = message;
    return row;
  });
}
