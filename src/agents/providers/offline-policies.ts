import type { Spec } from '../../core/domain/spec.js';
import { SpecSchema } from '../../core/domain/spec.js';
import { AutonomaError } from '../../core/errors.js';
import { APP_PARTS, renderAppPart, type AppPart } from '../offline/app/index.js';
import { describeApp } from '../offline/describe-app.js';
import {
  applyChangeRequest,
  assertBuildableOffline,
  parsePromptToSpec,
} from '../offline/requirements/index.js';
import { writeReview } from '../offline/review-writer.js';
import type { ArchitectureOutput, WriterRole } from '../pipeline/agent-outputs.js';
import { OFFLINE_PARTS } from '../registry.js';

/** What the offline model does on a turn: call tools, or give the final JSON answer. */
export type OfflineAction =
  | { kind: 'tools'; calls: Array<{ name: string; arguments: Record<string, unknown> }> }
  | { kind: 'answer'; value: unknown };

/** Which part of the generated app each writer agent owns (declared with the agent, src/agents/team/). */
export const PART_OWNER = Object.fromEntries(OFFLINE_PARTS.map((p) => [p.part, p.owner])) as Record<
  AppPart,
  WriterRole
>;

function partOf(role: string): AppPart | undefined {
  return APP_PARTS.find((part) => PART_OWNER[part] === role);
}

function specFrom(input: Record<string, unknown>): Spec {
  const parsed = SpecSchema.safeParse(input.spec);
  if (!parsed.success) throw new AutonomaError('agent_failed', 'The task data holds no valid spec.');
  return parsed.data;
}

function writeCalls(files: Map<string, string>) {
  return [...files.entries()].map(([path, content]) => ({
    name: 'write_file',
    arguments: { path, content },
  }));
}

/**
 * The offline model's behaviour per agent. On its first turn a writer agent writes the files it owns
 * for the spec (the same write_file calls an LLM would make); once the tool results are back it answers
 * with the list of files written. Repairs restore the owned files from the spec.
 */
export function decideOfflineAction(
  agent: string,
  input: Record<string, unknown>,
  written: Array<{ path: string; ok: boolean }> | undefined,
): OfflineAction {
  if (agent === 'requirements') {
    if (input.mode === 'change') {
      const result = applyChangeRequest(specFrom(input), String(input.changeRequest ?? ''));
      return { kind: 'answer', value: result };
    }
    const prompt = String(input.prompt ?? '');
    // a game, timer or calculator gets an honest answer before anything is built, not a CRUD app
    assertBuildableOffline(prompt);
    return { kind: 'answer', value: parsePromptToSpec(prompt) };
  }
  if (agent === 'review') {
    return { kind: 'answer', value: writeReview(input) };
  }
  const part = partOf(agent);
  if (!part)
    throw new AutonomaError('agent_failed', `The offline provider has no behaviour for agent "${agent}".`);
  const spec = specFrom(input);
  if (written === undefined) {
    const files = renderAppPart(spec, part);
    // Files this agent wrote for an earlier version of the spec that it no longer produces.
    const stale = (Array.isArray(input.existingFiles) ? input.existingFiles : [])
      .filter((p): p is string => typeof p === 'string' && !files.has(p))
      .map((p) => ({ name: 'delete_file', arguments: { path: p } }));
    return { kind: 'tools', calls: [...writeCalls(files), ...stale] };
  }
  const files = written.filter((w) => w.ok).map((w) => w.path);
  const failed = written.filter((w) => !w.ok).map((w) => w.path);
  const notes =
    failed.length > 0
      ? `Wrote ${files.length} files; could not write: ${failed.join(', ')}`
      : `Wrote ${files.length} files for the ${part} part.`;
  if (agent !== 'architecture') return { kind: 'answer', value: { files, notes } };
  const { api, pages } = describeApp(spec);
  const filePlan = APP_PARTS.flatMap((p) =>
    [...renderAppPart(spec, p).keys()].map((path) => ({ path, owner: PART_OWNER[p] })),
  );
  const architecture: ArchitectureOutput = {
    stack: {
      frontend: 'React 19 + Vite, typed fetch client',
      backend: 'Express 5 + zod validation, REST',
      database: 'SQLite through sql.js (WASM, no native build), file-backed',
      testing: 'vitest + supertest (API), Testing Library + happy-dom (UI)',
      tooling: 'TypeScript strict, npm lockfile, GitHub Actions CI, Docker',
    },
    api,
    pages,
    filePlan,
  };
  return { kind: 'answer', value: architecture };
}
