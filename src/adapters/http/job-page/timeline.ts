import {
  applyEvent,
  checklistRows,
  initialView,
  type ChecklistRow,
} from '../../../core/conversation/status-view.js';
import type { Link, ProgressEvent, Stage } from '../../../core/domain/progress.js';
import {
  TERMINAL_STATUSES,
  type GenerationRequest,
  type RequestStatus,
} from '../../../core/domain/request.js';

/** A checklist row's state: the shared StageState, or not reached yet. */
export type RowState = ChecklistRow['state'];

export const STATE_LABELS: Readonly<Record<RowState, string>> = {
  pending: 'Waiting',
  started: 'In progress',
  completed: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};

export interface TimelineStage {
  stage: Stage;
  label: string;
  state: RowState;
  message: string;
}

export interface TimelineUpdate {
  at: string;
  message: string;
  links: Link[];
}

/** What the page shows at the top and what the event stream sends first: the job as it stands. */
export interface Timeline {
  status: RequestStatus;
  percent: number;
  stages: TimelineStage[];
  updates: TimelineUpdate[];
}

/** The newest updates are the ones worth reading; a long job keeps only these many. */
export const MAX_UPDATES = 50;

/**
 * The stage timeline from the job's recent progress events (the bus keeps a day of them), or, when
 * there are none, from the stage and status stored on the request.
 */
export function buildTimeline(request: GenerationRequest, events: ProgressEvent[]): Timeline {
  // The same fold as every chat thread: stored stage first (events may have expired), then events.
  let view = initialView(request);
  for (const event of events) view = applyEvent(view, event, request);
  const updates: TimelineUpdate[] = events
    .filter((event) => event.type !== 'stage')
    .map((event) => ({ at: event.at, message: event.message, links: event.links }));
  // The row is the authority on the outcome: events may have expired or a retry may be under way.
  const status = TERMINAL_STATUSES.has(request.status) ? request.status : view.status;
  const stages = checklistRows(view, { includeQueued: true }).map((row) => ({
    stage: row.stage,
    label: row.label,
    state: row.state,
    message: row.message ?? '',
  }));
  return {
    status,
    percent: status === 'succeeded' ? 100 : Math.max(view.percent, request.percent),
    stages,
    updates: updates.slice(-MAX_UPDATES),
  };
}
