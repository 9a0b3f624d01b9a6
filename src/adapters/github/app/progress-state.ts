import { STAGES, type Link, type ProgressEvent, type Stage } from '../../../core/domain/progress.js';
import { stateKey, type GitHubAppContext } from './app-context.js';

export type StageState = 'started' | 'completed' | 'failed' | 'skipped';

/** What the progress comment shows, accumulated from the events so far (in the state store: any replica may reply). */
export interface ProgressState {
  stages: Partial<Record<Stage, StageState>>;
  costUsd: number;
  note: string | null;
  links: Link[];
}

const STATE_TTL_MS = 7 * 24 * 3600 * 1000;

const key = (requestId: string) => stateKey('progress', requestId);

/** Folds the event into the stored state and returns the result. A new attempt starts a fresh checklist. */
export async function applyEvent(app: GitHubAppContext, event: ProgressEvent): Promise<ProgressState> {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  if (event.type === 'stage') {
    if (event.stage === 'queued') remove.push(...STAGES.map((s) => `stage:${s}`));
    set[`stage:${event.stage}`] = event.state;
    if (event.costUsd !== undefined) set.cost = String(event.costUsd);
  } else if (event.type === 'milestone') {
    set.note = event.message;
    if (event.links.length > 0) set.links = JSON.stringify(event.links);
  } else if (event.links.length > 0) {
    set.links = JSON.stringify(event.links);
  }
  const raw = await app.state.updateFields(key(event.requestId), { set, remove }, STATE_TTL_MS);
  const stages: ProgressState['stages'] = {};
  for (const stage of STAGES) {
    const state = raw[`stage:${stage}`];
    if (state) stages[stage] = state as StageState;
  }
  return {
    stages,
    costUsd: Number(raw.cost ?? 0) || 0,
    note: raw.note ?? null,
    links: raw.links ? (JSON.parse(raw.links) as Link[]) : [],
  };
}

/** Digest of the last body written, so an event that changes nothing makes no edit. */
export async function lastBodyDigest(app: GitHubAppContext, requestId: string): Promise<string | null> {
  return (await app.state.getFields(key(requestId))).body ?? null;
}

export async function rememberBodyDigest(
  app: GitHubAppContext,
  requestId: string,
  digest: string,
): Promise<void> {
  await app.state.updateFields(key(requestId), { set: { body: digest } }, STATE_TTL_MS);
}
