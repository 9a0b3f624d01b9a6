import type { ValidGenerationRequestInput } from '../../core/domain/request.js';
import { userFacingMessage } from '../../core/errors.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import { followRequest, type FollowOptions } from './follow-request.js';
import { createProgressDisplay } from './progress-display.js';
import { resultJson, resultText } from './render-result.js';

export interface Terminal {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal: progress is a checklist redrawn in place. */
  isTTY: boolean;
}

export interface BuildRun {
  input: ValidGenerationRequestInput;
  json: boolean;
  /** A worker in this process runs the request; otherwise it waits for `autonoma worker`. */
  inProcess: boolean;
  /** Where this run's logs went: a failure names it. */
  logFile?: string;
}

export interface BuildDeps {
  /** The one way in, as for every adapter. */
  service: GenerationService;
  bus: FollowOptions['bus'];
  terminal: Terminal;
  /** Aborted on Ctrl-C: the request is cancelled, and the build ends once the worker has stopped it. */
  interrupt?: AbortSignal;
  pollMs?: number;
}

/**
 * `autonoma build` once its process is wired: submit, follow the progress, print the outcome. Human
 * mode shows progress on stderr and ends with the result (stdout) or one readable error (stderr);
 * `--json` prints one JSON object on stdout. Returns the exit code.
 */
export async function runBuild(run: BuildRun, deps: BuildDeps): Promise<number> {
  const { terminal } = deps;
  const human = !run.json;
  let submitted;
  try {
    submitted = await deps.service.submit(run.input);
  } catch (error) {
    const refusal = userFacingMessage(error);
    if (!refusal) throw error;
    terminal.stderr(`${refusal}\n`);
    return 2;
  }
  const { request } = submitted;
  const display = createProgressDisplay({ write: (t) => terminal.stderr(t), isTTY: terminal.isTTY && human });
  if (human) {
    terminal.stderr(`Request ${request.id} queued.\n`);
    if (!run.inProcess) terminal.stderr('Queued; waiting for a worker (`autonoma worker`) to pick it up…\n');
  }

  const cancel = () => {
    if (human) terminal.stderr('Cancelling… (press Ctrl-C again to quit at once)\n');
    deps.service.cancel(request.id).catch((error: unknown) => {
      terminal.stderr(`Could not cancel: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };
  if (deps.interrupt?.aborted) cancel();
  else deps.interrupt?.addEventListener('abort', cancel, { once: true });

  try {
    const final = await followRequest({
      requestId: request.id,
      bus: deps.bus,
      service: deps.service,
      onEvent: (event) => {
        if (human) display.update(event);
      },
      onTick: () => display.tick(),
      ...(deps.pollMs ? { pollMs: deps.pollMs } : {}),
    });
    display.stop();
    if (!human) terminal.stdout(`${JSON.stringify(resultJson(final))}\n`);
    else if (final.status === 'succeeded') terminal.stdout(`${resultText(final)}\n`);
    else {
      // A refusal says all there is to say; a failure's stack and context are in the log.
      const details = run.logFile && final.status === 'failed' && final.errorCode !== 'invalid_input';
      terminal.stderr(`${resultText(final)}${details ? `\n  Details:    ${run.logFile}` : ''}\n`);
    }
    return final.status === 'succeeded' ? 0 : 1;
  } finally {
    deps.interrupt?.removeEventListener('abort', cancel);
  }
}
