import {
  applyEvent,
  initialView,
  type StageState,
  type StatusView,
} from '../../../core/conversation/status-view.js';
import { STAGES, StageSchema, type Link, type ProgressEvent } from '../../../core/domain/progress.js';
import type { GenerationRequest } from '../../../core/domain/request.js';
import { stateKey, type GitHubAppContext } from './app-context.js';

const STATE_TTL_MS = 7 * 24 * 3600 * 1000;

const key = (requestId: string) => stateKey('progress', requestId);

/**
 * The shared status view of a request, kept in the state store (any replica may reply next) as
 * fields: a mark per stage, the current stage, the cost, the latest note and the links so far.
 */
function storedView(request: GenerationRequest, raw: Record<string, string>): StatusView {
  const view = initialView(request);
  if (Object.keys(raw).length === 0) return view;
  const stages: StatusView['stages'] = {};
  for (const stage of STAGES) {
    const state = raw[`stage:${stage}`];
    if (state) stages[stage] = state as StageState;
  }
  const current = StageSchema.safeParse(raw.current);
  return {
    ...view,
    stages,
    costUsd: Math.max(view.costUsd, Number(raw.cost ?? 0) || 0),
    links: raw.links ? (JSON.parse(raw.links) as Link[]) : view.links,
    ...(raw.note === undefined ? {} : { note: raw.note }),
    ...(current.success ? { currentStage: current.data } : {}),
  };
}

function fields(view: StatusView): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = { cost: String(view.costUsd), links: JSON.stringify(view.links) };
  const remove: string[] = [];
  for (const stage of STAGES) {
    const state = view.stages[stage];
    if (state) set[`stage:${stage}`] = state;
    else remove.push(`stage:${stage}`);
  }
  if (view.note !== undefined) set.note = view.note;
  if (view.currentStage) set.current = view.currentStage;
  return { set, remove };
}

/**
 * Folds the event into the stored view; returns the result and the digest of the body last written
 * (so an event that changes nothing makes no edit).
 */
export async function applyStoredEvent(
  app: GitHubAppContext,
  request: GenerationRequest,
  event: ProgressEvent,
): Promise<{ view: StatusView; lastBodyDigest: string | null }> {
  const raw = await app.state.getFields(key(request.id));
  const view = applyEvent(storedView(request, raw), event, request);
  await app.state.updateFields(key(request.id), fields(view), STATE_TTL_MS);
  return { view, lastBodyDigest: raw.body ?? null };
}

export async function rememberBodyDigest(
  app: GitHubAppContext,
  requestId: string,
  digest: string,
): Promise<void> {
  await app.state.updateFields(key(requestId), { set: { body: digest } }, STATE_TTL_MS);
}
