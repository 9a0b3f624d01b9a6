import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DEDUPE_TTL_MS, stateKey, type GitHubAppContext } from './app-context.js';

/**
 * What the progress replier needs when an iteration ends: which review threads to answer, and the
 * branch head before the iteration (an unchanged head means nothing was committed). Kept in the state
 * store under the request's idempotency key, written before the request is submitted so even an instant job finds it.
 */
export const IterationRecordSchema = z.object({
  installationId: z.number().int(),
  owner: z.string(),
  repo: z.string(),
  pullNumber: z.number().int(),
  previousHeadSha: z.string().nullable(),
  /** Top-level review comment ids: replies go into their threads. */
  threads: z.array(z.number().int()),
});
export type IterationRecord = z.infer<typeof IterationRecordSchema>;

const RECORD_TTL_MS = 30 * 24 * 3600 * 1000;

export async function saveIterationRecord(
  app: GitHubAppContext,
  idempotencyKey: string,
  record: IterationRecord,
): Promise<void> {
  await app.state.set(stateKey('iteration', idempotencyKey), JSON.stringify(record), RECORD_TTL_MS);
}

export async function loadIterationRecord(
  app: GitHubAppContext,
  idempotencyKey: string,
): Promise<IterationRecord | null> {
  const raw = await app.state.get(stateKey('iteration', idempotencyKey));
  if (!raw) return null;
  const parsed = IterationRecordSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

/**
 * Claims a note's text for one trigger on one pull request: a repeated identical note (same words,
 * whitespace and case aside) from a later review is not new work. The same trigger claiming again (a
 * retried delivery) keeps its claim.
 */
export async function claimNote(
  app: GitHubAppContext,
  pull: { repositoryId: number; number: number },
  text: string,
  triggerKey: string,
): Promise<boolean> {
  const key = noteKey(pull, text);
  if (await app.state.setIfAbsent(key, triggerKey, DEDUPE_TTL_MS * 8)) return true;
  return (await app.state.get(key)) === triggerKey;
}

/** Gives a note back when its trigger started nothing (a refusal), so the next review can use it. */
export async function releaseNote(
  app: GitHubAppContext,
  pull: { repositoryId: number; number: number },
  text: string,
  triggerKey: string,
): Promise<void> {
  const key = noteKey(pull, text);
  if ((await app.state.get(key)) === triggerKey) await app.state.delete(key);
}

function noteKey(pull: { repositoryId: number; number: number }, text: string): string {
  const normalized = text.replace(/\s+/g, ' ').trim().toLowerCase();
  const digest = createHash('sha256').update(normalized).digest('hex').slice(0, 32);
  return stateKey('note', pull.repositoryId, pull.number, digest);
}

/** Counts one more iteration on the pull request; returns the new count. */
export async function countIteration(
  app: GitHubAppContext,
  pull: { repositoryId: number; number: number },
  delta: 1 | -1,
): Promise<number> {
  return app.state.increment(stateKey('iterations', pull.repositoryId, pull.number), delta);
}
