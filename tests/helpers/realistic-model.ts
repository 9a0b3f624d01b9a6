/**
 * A scripted model that behaves like a capable LLM rather than like Autonoma's offline generator:
 * it designs its own app (realistic-model-app.ts: its own layout, `^` ranges, no lockfile, replacing
 * the workspace's starter; realistic-game-app.ts: a game built on the starter), works through the
 * tools turn by turn (looks at the workspace, writes, reads a file back before fixing it), makes one
 * type error and one wrong test expectation on its first draft, and fixes each only when a repair
 * turn shows it the failure. With `fixesMistakes: false` it rewrites the same broken content
 * instead. Deterministic; decides only from what a real model would see (the conversation).
 * Serve it through the wire-format stand-in: `startModelStandIn({ apiKey, provider: model.provider })`.
 */
import { z } from 'zod';
import type { ArchitectureOutput, WorkOutput, WriterRole } from '../../src/agents/pipeline/agent-outputs.js';
import { WRITER_ROLES } from '../../src/agents/pipeline/agent-outputs.js';
import { extractTaskInput } from '../../src/agents/pipeline/agent-runner.js';
import type {
  ChatMessage,
  CompletionRequest,
  CompletionResponse,
  ModelProvider,
  ToolCall,
} from '../../src/core/ports/model-provider.js';
import { BOOKMARKS, type Mistake, type RealisticApp } from './realistic-model-app.js';

export const REALISTIC_MODEL = 'realistic-scripted-1';

/** A repair as the pipeline handed it to the model (`input.repair` of its task). */
const RepairSchema = z.object({
  step: z.string(),
  output: z.string(),
  excerpts: z
    .array(z.object({ file: z.string(), line: z.number(), message: z.string(), code: z.string() }))
    .optional(),
});
export type ShownRepair = z.infer<typeof RepairSchema>;

export interface RealisticModel {
  provider: ModelProvider;
  /** Every repair task the model received, in order, with the agent it was sent to. */
  repairs: Array<{ agent: string; repair: ShownRepair }>;
  /** The files each repair turn wrote, and whether it changed them. */
  repairWrites: Array<{ agent: string; file: string; changed: boolean }>;
  /** Model calls per agent role (each turn of the tool loop is one call). */
  calls: Map<string, number>;
}

type Decision = { text?: string; toolCalls: Array<Omit<ToolCall, 'id'>> } | { answer: unknown };

const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function isWriter(agent: string): agent is WriterRole {
  return (WRITER_ROLES as readonly string[]).includes(agent);
}

/** The tool calls of the model's last turn, each with the result it got back. */
function lastTurn(messages: ChatMessage[]): Array<{ call: ToolCall; content: string; isError: boolean }> {
  const index = messages.map((m) => m.role).lastIndexOf('assistant');
  const assistant = messages[index];
  if (assistant?.role !== 'assistant') return [];
  const results = messages.slice(index + 1).flatMap((m) => (m.role === 'tool' ? [m] : []));
  return assistant.toolCalls.map((call, i) => {
    // OpenAI's wire keeps ids; both wires keep the order, which is the fallback.
    const result = results.find((r) => r.toolCallId === call.id) ?? results[i];
    return { call, content: result?.content ?? '', isError: result?.isError ?? true };
  });
}

function writesOf(files: ReadonlyArray<readonly [string, string]>) {
  return files.map(([path, content]) => ({ name: 'write_file', arguments: { path, content } }));
}

function workAnswer(turn: ReturnType<typeof lastTurn>, notes: string): WorkOutput {
  const written = turn.filter((t) => t.call.name === 'write_file');
  const files = written.filter((t) => !t.isError).map((t) => String(t.call.arguments.path));
  const failed = written.filter((t) => t.isError).map((t) => String(t.call.arguments.path));
  return { files, notes: failed.length ? `${notes} Could not write: ${failed.join(', ')}.` : notes };
}

function architecture(app: RealisticApp): ArchitectureOutput {
  return {
    ...app.architecture,
    filePlan: (
      Object.entries(app.firstDraft) as Array<[WriterRole, ReadonlyArray<readonly [string, string]>]>
    ).flatMap(([owner, files]) => files.map(([path]) => ({ path, owner }))),
  };
}

function review(app: RealisticApp, input: Record<string, unknown>): unknown {
  const validation = (input.validation ?? {}) as { repairRounds?: number };
  const files = Array.isArray(input.files) ? input.files.length : 0;
  return app.review(files, validation.repairRounds ?? 0);
}

/** Files the workspace listing shows that the model's own layout does not use (the starter's). */
function unusedFiles(app: RealisticApp, turn: ReturnType<typeof lastTurn>): string[] {
  const listing = turn.find((t) => t.call.name === 'list_files' && !t.isError);
  if (!listing) return [];
  const listed = (JSON.parse(listing.content) as { files: string[] }).files;
  const planned = new Set(Object.values(app.firstDraft).flatMap((files) => files.map(([path]) => path)));
  return listed.filter((file) => !planned.has(file));
}

/** The mistakes of mine this failure shows: my file named in the output or an excerpt, and the symptom. */
function mistakesShown(app: RealisticApp, role: WriterRole, repair: ShownRepair): Mistake[] {
  return app.mistakes.filter(
    (m) =>
      m.owner === role &&
      (repair.output.includes(m.file) || repair.excerpts?.some((e) => e.file === m.file)) &&
      (m.symptom.test(repair.output) || repair.excerpts?.some((e) => m.symptom.test(e.message))),
  );
}

/** The file with the broken line corrected, preferring the line the failure points at. */
function applyFix(content: string, mistake: Mistake, repair: ShownRepair): string {
  const lines = content.split('\n');
  const pointed = repair.excerpts?.find(
    (e) => e.file === mistake.file && lines[e.line - 1] === mistake.broken,
  );
  const index = pointed ? pointed.line - 1 : lines.indexOf(mistake.broken);
  if (index < 0) return content;
  lines[index] = mistake.fixed;
  return lines.join('\n');
}

export function createRealisticModel(options: {
  fixesMistakes: boolean;
  app?: RealisticApp;
}): RealisticModel {
  const app = options.app ?? BOOKMARKS;
  const repairs: RealisticModel['repairs'] = [];
  const repairWrites: RealisticModel['repairWrites'] = [];
  const calls = new Map<string, number>();

  const repairTurn = (
    role: WriterRole,
    repair: ShownRepair,
    messages: ChatMessage[],
    offered: Set<string>,
  ): Decision => {
    const turn = lastTurn(messages);
    const mine = mistakesShown(app, role, repair);
    if (turn.length === 0) {
      repairs.push({ agent: role, repair });
      if (mine.length === 0)
        return {
          answer:
            role === 'architecture'
              ? architecture(app)
              : { files: [], notes: `The ${repair.step} failure is not in a file I wrote.` },
        };
      // Read the current file first: another agent or an earlier round may have changed it.
      if (offered.has('read_file'))
        return {
          text: `The ${repair.step} step fails in ${mine.map((m) => m.file).join(', ')}; reading it first.`,
          toolCalls: mine.map((m) => ({ name: 'read_file', arguments: { path: m.file } })),
        };
    }
    if (turn.every((t) => t.call.name === 'read_file')) {
      const writes = mine.flatMap((mistake) => {
        const read = turn.find((t) => t.call.arguments.path === mistake.file && !t.isError);
        if (!read) return [];
        const current = (JSON.parse(read.content) as { content: string }).content;
        const next = options.fixesMistakes ? applyFix(current, mistake, repair) : current;
        repairWrites.push({ agent: role, file: mistake.file, changed: next !== current });
        return [{ name: 'write_file', arguments: { path: mistake.file, content: next } }];
      });
      if (writes.length > 0) return { text: 'Fixing it.', toolCalls: writes };
    }
    if (role === 'architecture') return { answer: architecture(app) };
    return {
      answer: workAnswer(
        turn,
        options.fixesMistakes
          ? `Fixed the ${repair.step} failure: ${mine.map((m) => `${m.file} now has \`${m.fixed.trim()}\``).join('; ')}.`
          : `Rewrote ${mine.map((m) => m.file).join(', ')}; the code looks right to me.`,
      ),
    };
  };

  const decide = (request: CompletionRequest): Decision => {
    const first = request.messages[0];
    const task = (first?.role === 'user' ? extractTaskInput(first.content) : undefined) as
      Record<string, unknown> | undefined;
    if (!task) throw new Error('realistic model: the first message holds no task data');
    const role = request.agent;
    if (role === 'requirements') return { answer: app.spec };
    if (role === 'review') return { answer: review(app, task) };
    if (!isWriter(role)) throw new Error(`realistic model: no behaviour for agent "${role}"`);
    const offered = new Set(request.tools.map((t) => t.name));
    const repair = task.repair === undefined ? undefined : RepairSchema.parse(task.repair);
    if (repair) return repairTurn(role, repair, request.messages, offered);

    const turn = lastTurn(request.messages);
    const draft = app.firstDraft[role];
    if (role === 'architecture') {
      if (turn.length === 0 && offered.has('list_files'))
        return {
          text: 'Looking at the workspace first.',
          toolCalls: [{ name: 'list_files', arguments: {} }],
        };
      const scaffold = app.scaffold;
      if (scaffold.kind === 'starter' && turn.some((t) => t.call.name === 'list_files'))
        return {
          text: 'There is a starter (React + Vite + Express, locked dependencies): reading it to build on it.',
          toolCalls: scaffold.reads.map((path) => ({ name: 'read_file', arguments: { path } })),
        };
      if (turn.every((t) => t.call.name !== 'write_file')) {
        const unused = scaffold.kind === 'own' ? unusedFiles(app, turn) : [];
        return {
          text:
            scaffold.kind === 'own'
              ? `Writing my own scaffold (${app.architecture.stack.backend}); deleting the ${unused.length} starter files it does not use.`
              : 'The starter fits: keeping its package.json and lockfile, adding the README.',
          toolCalls: [
            ...unused.map((path) => ({ name: 'delete_file', arguments: { path } })),
            ...writesOf(draft),
          ],
        };
      }
      return { answer: architecture(app) };
    }
    if (turn.length === 0 && draft.length > 0)
      return { text: `Writing the ${role} files.`, toolCalls: writesOf(draft) };
    return {
      answer: workAnswer(
        turn,
        draft.length > 0
          ? `Wrote the ${role} part of the ${app.name}.`
          : `Nothing to add for ${role}: the starter already covers it.`,
      ),
    };
  };

  const provider: ModelProvider = {
    name: 'realistic-scripted',
    // Roughly GPT-4.1's list price; the stand-in's callers price usage with their own tables.
    cost: (_model, usage) => (usage.inputTokens * 2 + usage.outputTokens * 8) / 1_000_000,
    async complete(request: CompletionRequest): Promise<CompletionResponse> {
      calls.set(request.agent, (calls.get(request.agent) ?? 0) + 1);
      const decision = decide(request);
      const inputTokens = estimateTokens(
        request.system + JSON.stringify(request.messages) + JSON.stringify(request.tools),
      );
      if ('answer' in decision) {
        const content = JSON.stringify(decision.answer);
        return {
          content,
          toolCalls: [],
          stopReason: 'end',
          usage: { inputTokens, outputTokens: estimateTokens(content) },
          model: REALISTIC_MODEL,
        };
      }
      const toolCalls = decision.toolCalls.map((call, index) => ({
        id: `call_${request.agent}_${request.messages.length}_${index}`,
        ...call,
      }));
      return {
        content: decision.text ?? '',
        toolCalls,
        stopReason: 'tool_calls',
        usage: {
          inputTokens,
          outputTokens: estimateTokens((decision.text ?? '') + JSON.stringify(toolCalls)),
        },
        model: REALISTIC_MODEL,
      };
    },
  };
  return { provider, repairs, repairWrites, calls };
}
