import type { Stage } from '../../core/domain/progress.js';
import { AutonomaError, CancelledError, throwIfAborted, toAutonomaError } from '../../core/errors.js';
import type { AgentRunSummary, GenerateInput } from '../../core/ports/app-generator.js';
import type { ModelProvider, ToolDefinition } from '../../core/ports/model-provider.js';
import type { AgentRole } from './agent-outputs.js';
import { systemPromptFor } from './agent-instructions.js';
import { runAgent, type AgentTask, type ToolInvoker } from './agent-runner.js';

export interface AgentEnvironment {
  requestId: string;
  provider: ModelProvider;
  tools: ToolInvoker;
  toolDefinitions: ToolDefinition[];
  recorder: GenerateInput['recorder'];
  progress: GenerateInput['progress'];
  runs: AgentRunSummary[];
  /** Paths written, by the agent that wrote them (for routing validation failures). */
  owners: Map<string, AgentRole>;
  /** Attempts per agent for transient failures (network, 5xx, rate limits). */
  maxAttempts: number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface AgentCall<Output> {
  role: AgentRole;
  stage: Stage;
  instruction: string;
  input: unknown;
  output: AgentTask<Output>['output'];
  /** Which tools this agent may use (names); none for pure analysis agents. */
  toolNames: readonly string[];
  startMessage: string;
  doneMessage: (output: Output) => string;
}

/** Tool invoker that remembers which agent wrote which file. */
function ownershipTracking(tools: ToolInvoker, owners: Map<string, AgentRole>, role: AgentRole): ToolInvoker {
  return {
    async callTool(name, args, signal) {
      const result = await tools.callTool(name, args, signal);
      if (name === 'write_file' && !result.isError && typeof args.path === 'string')
        owners.set(args.path, role);
      if (name === 'delete_file' && !result.isError && typeof args.path === 'string')
        owners.delete(args.path);
      return result;
    },
  };
}

/**
 * Runs one agent as a recorded session: an agent_sessions row with status, timing, tokens and cost,
 * a log line per attempt, stage progress events, and retries only for transient causes.
 */
export async function runRecordedAgent<Output>(
  env: AgentEnvironment,
  call: AgentCall<Output>,
  signal: AbortSignal,
): Promise<Output> {
  await env.progress.stage(call.stage, 'started', call.startMessage);
  const started = Date.now();
  const totals = { tokensIn: 0, tokensOut: 0, costUsd: 0 };
  let model = env.provider.name;
  for (let attempt = 1; ; attempt += 1) {
    throwIfAborted(signal);
    const sessionId = await env.recorder.startAgentRun({
      requestId: env.requestId,
      agentType: call.role,
      attempt,
      model: null,
    });
    try {
      const outcome = await runAgent(
        env.provider,
        ownershipTracking(env.tools, env.owners, call.role),
        {
          agent: call.role,
          system: systemPromptFor(call.role),
          instruction: call.instruction,
          input: call.input,
          output: call.output,
          tools: env.toolDefinitions.filter((t) => call.toolNames.includes(t.name)),
          requestId: env.requestId,
        },
        signal,
      );
      const costUsd = env.provider.cost(outcome.model, outcome.usage);
      model = outcome.model;
      totals.tokensIn += outcome.usage.inputTokens;
      totals.tokensOut += outcome.usage.outputTokens;
      totals.costUsd += costUsd;
      env.progress.addCost(costUsd);
      await env.recorder.finishAgentRun(sessionId, {
        status: 'succeeded',
        tokensIn: outcome.usage.inputTokens,
        tokensOut: outcome.usage.outputTokens,
        costUsd,
        results: { turns: outcome.turns, toolCalls: outcome.toolCalls, model: outcome.model },
      });
      await env.recorder.appendAgentLog(sessionId, 'info', call.doneMessage(outcome.output), {
        turns: outcome.turns,
        toolCalls: outcome.toolCalls,
        model: outcome.model,
      });
      env.runs.push({
        agent: call.role,
        status: 'succeeded',
        durationMs: Date.now() - started,
        ...totals,
        model,
        attempts: attempt,
      });
      await env.progress.stage(call.stage, 'completed', call.doneMessage(outcome.output));
      return outcome.output;
    } catch (thrown) {
      const cancelled = signal.aborted || thrown instanceof CancelledError;
      const error = cancelled ? new CancelledError() : toAutonomaError(thrown, 'agent_failed');
      await env.recorder
        .finishAgentRun(sessionId, {
          status: cancelled ? 'cancelled' : 'failed',
          tokensIn: 0,
          tokensOut: 0,
          costUsd: 0,
          error: error.message,
        })
        .catch(() => undefined);
      await env.recorder
        .appendAgentLog(sessionId, 'error', error.message, { code: error.code })
        .catch(() => undefined);
      if (cancelled) throw error;
      if (error.retryable && attempt < env.maxAttempts) {
        await env.progress.milestone(
          call.stage,
          `The ${call.role} agent hit a temporary problem (${error.message}); retrying.`,
        );
        await env.sleep(500 * 2 ** (attempt - 1), signal);
        continue;
      }
      env.runs.push({
        agent: call.role,
        status: 'failed',
        durationMs: Date.now() - started,
        ...totals,
        model,
        attempts: attempt,
      });
      await env.progress.stage(call.stage, 'failed', error.message);
      throw new AutonomaError(
        error.code === 'internal' ? 'agent_failed' : error.code,
        `The ${call.stage} stage failed: ${error.message}`,
        {
          cause: error,
          retryable: error.retryable,
        },
      );
    }
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
