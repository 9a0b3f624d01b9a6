import { STAGES, type Link, type ProgressEvent, type Stage } from '../../../core/domain/progress.js';
import { redisKey, type GitHubAppContext } from './app-context.js';

export type StageState = 'started' | 'completed' | 'failed' | 'skipped';

/** What the progress comment shows, accumulated from the events so far (in Redis: any replica may reply). */
export interface ProgressState {
  stages: Partial<Record<Stage, StageState>>;
  costUsd: number;
  note: string | null;
  links: Link[];
}

const STATE_TTL_SECONDS = 7 * 24 * 3600;

function key(app: GitHubAppContext, requestId: string): string {
  return redisKey(app, 'progress', requestId);
}

/** Folds the event into the stored state and returns the result. A new attempt starts a fresh checklist. */
export async function applyEvent(app: GitHubAppContext, event: ProgressEvent): Promise<ProgressState> {
  const k = key(app, event.requestId);
  const multi = app.redis.multi();
  if (event.type === 'stage') {
    if (event.stage === 'queued') multi.hdel(k, ...STAGES.map((s) => `stage:${s}`));
    multi.hset(k, `stage:${event.stage}`, event.state);
    if (event.costUsd !== undefined) multi.hset(k, 'cost', String(event.costUsd));
  } else if (event.type === 'milestone') {
    multi.hset(k, 'note', event.message);
    if (event.links.length > 0) multi.hset(k, 'links', JSON.stringify(event.links));
  } else if (event.links.length > 0) {
    multi.hset(k, 'links', JSON.stringify(event.links));
  }
  multi.expire(k, STATE_TTL_SECONDS);
  await multi.exec();
  const raw = await app.redis.hgetall(k);
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
  return app.redis.hget(key(app, requestId), 'body');
}

export async function rememberBodyDigest(
  app: GitHubAppContext,
  requestId: string,
  digest: string,
): Promise<void> {
  await app.redis.hset(key(app, requestId), 'body', digest);
}
