/**
 * Entry point of the `autonoma` command: turns argv into calls on the composition root.
 */
import { randomUUID } from 'node:crypto';
import { buildProgram, type CliHandlers } from './adapters/cli/program.js';
import { createProgressDisplay } from './adapters/cli/progress-display.js';
import { followRequest } from './adapters/cli/follow-request.js';
import { resultJson, resultText } from './adapters/cli/render-result.js';
import { loadConfig, type Config } from './core/config.js';
import { GenerationRequestInputSchema } from './core/domain/request.js';
import { AutonomaError, ConfigError } from './core/errors.js';
import { createLogger, type Logger } from './core/logger.js';
import { createSecretRedactor, type SecretRedactor } from './core/secrets/secret-redactor.js';
import { lowerWorkerPriority } from './jobs/worker-priority.js';
import type { WorkerHandle } from './main.js';

/**
 * The composition root loads every platform SDK (Slack, Discord, Probot, model SDKs, Prisma): loaded
 * on demand, so `--help`, usage errors and bad configuration answer at once.
 */
const loadMain = () => import('./main.js');

function onShutdownSignal(handler: (signal: string) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130); // a second Ctrl-C means now
      stopping = true;
      void handler(signal).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

/** `redactor` is the logger's: tokens the runtime learns are scrubbed from the logs too. */
function createHandlers(config: Config, logger: Logger, redactor: SecretRedactor): CliHandlers {
  return {
    async migrate() {
      const { migrate } = await loadMain();
      const result = await migrate(config, logger);
      process.stdout.write(
        `${result.createdDatabase ? 'Created the database. ' : ''}` +
          `${result.applied.length > 0 ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}.` : 'Database schema is up to date.'}` +
          `${result.vectorSupport ? '' : ' (pgvector not available: template search uses the SQL fallback.)'}\n`,
      );
    },

    async serve() {
      // Signal handlers first: a SIGTERM during start-up must not find the default action (kill).
      let stop: () => Promise<void> = async () => undefined;
      onShutdownSignal(async (signal) => {
        logger.info({ signal }, 'shutting down server');
        await stop();
      });
      const { migrate, createRuntime, startServer, createChatAdapters, createService } = await loadMain();
      await migrate(config, logger);
      const runtime = await createRuntime(config, logger, redactor);
      const server = await startServer(runtime, createChatAdapters(runtime, createService(runtime)));
      stop = async () => {
        await server.close();
        await runtime.close();
      };
      logger.info({ url: server.url }, 'autonoma server listening');
    },

    async worker(options) {
      let stop: () => Promise<void> = async () => undefined;
      onShutdownSignal(async (signal) => {
        logger.info({ signal }, 'worker stopping: finishing running jobs');
        await stop();
      });
      // First, so every thread and build it starts inherits the lower priority.
      lowerWorkerPriority(config.worker.nice, logger);
      // The worker's template store says itself when pgvector is missing: one warning, not two.
      const { migrate, createRuntime, startWorker } = await loadMain();
      await migrate(config, logger, { warnWithoutVector: false });
      const runtime = await createRuntime(config, logger, redactor);
      const handle = await startWorker(runtime, {
        inbox: true,
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      }).catch(async (error: unknown) => {
        await runtime.close(); // e.g. no sandbox: exit with the reason instead of hanging on open connections
        throw error;
      });
      stop = async () => {
        await handle.close();
        await runtime.close();
      };
      logger.info(
        {
          concurrency: options.concurrency ?? config.worker.concurrency,
          forge: config.forge,
          // Whether this worker also starts chat builds (the Slack inbox); it needs the same secrets.
          chatInbox: handle.inboxWorker !== undefined,
        },
        'autonoma worker started',
      );
    },

    async build(options) {
      const parsed = GenerationRequestInputSchema.safeParse({
        kind: 'build',
        prompt: options.prompt,
        source: 'cli',
        thread: { platform: 'cli' },
        idempotencyKey: `cli:${randomUUID()}`,
      });
      if (!parsed.success) {
        process.stderr.write(`${parsed.error.issues.map((i) => i.message).join('\n')}\n`);
        return 2;
      }
      // The progress display is the story here; routine info logs would only interleave with it.
      const quiet = config.logLevel === 'info' ? logger.child({}, { level: 'error' }) : logger;
      const { migrate, createRuntime, startWorker } = await loadMain();
      await migrate(config, quiet);
      const runtime = await createRuntime(config, quiet, redactor);
      let worker: WorkerHandle | undefined;
      try {
        if (options.worker)
          worker = await startWorker(runtime, {
            concurrency: 1,
            notify: (line) => process.stderr.write(`${line}\n`),
            ...(options.out ? { outDir: options.out } : {}),
          });
        const { request } = await runtime.store.createRequest(parsed.data);
        const display = createProgressDisplay({
          write: (t) => process.stderr.write(t),
          isTTY: Boolean(process.stderr.isTTY) && !options.json,
        });
        if (!options.json) process.stderr.write(`Request ${request.id} queued.\n`);
        const following = followRequest({
          requestId: request.id,
          bus: runtime.bus,
          store: runtime.store,
          onEvent: (event) => {
            if (!options.json) display.update(event);
          },
          onTick: () => display.tick(),
        });
        await runtime.producer.enqueue(request.id, request.idempotencyKey);
        if (!options.worker && !options.json)
          process.stderr.write('Queued; waiting for a worker (`autonoma worker`) to pick it up…\n');
        const final = await following;
        display.stop();
        if (options.json) process.stdout.write(`${JSON.stringify(resultJson(final))}\n`);
        else process.stdout.write(`${resultText(final)}\n`);
        return final.status === 'succeeded' ? 0 : 1;
      } finally {
        await worker?.close();
        await runtime.close();
      }
    },

    async status(options) {
      const { createRuntime } = await loadMain();
      const runtime = await createRuntime(config, logger, redactor);
      try {
        const request = await runtime.store.getRequest(options.id);
        if (!request) {
          process.stderr.write(
            `No request with id ${options.id}. Ids look like 3f2b…-…; \`autonoma build\` prints them.\n`,
          );
          return 2;
        }
        process.stdout.write(
          options.json ? `${JSON.stringify(resultJson(request))}\n` : `${resultText(request)}\n`,
        );
        return 0;
      } finally {
        await runtime.close();
      }
    },

    async evaluate(options) {
      const { runEvaluation } = await import('./eval.js');
      return runEvaluation(config, options);
    },

    async mcp(options) {
      const { runMcpStdio } = await import('./mcp-main.js');
      const handle = await runMcpStdio(config, logger, { worker: options.worker, redactor });
      onShutdownSignal(async (signal) => {
        logger.info({ signal }, 'mcp server stopping');
        await handle.close();
      });
      await handle.closed;
    },
  };
}

export async function runCli(argv: string[]): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exitCode = 2;
    return;
  }
  const redactor = createSecretRedactor(config.secrets);
  const logger = createLogger({ level: config.logLevel, redactor });
  const program = buildProgram(createHandlers(config, logger, redactor), (code) => {
    process.exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const message =
      error instanceof AutonomaError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`autonoma: ${message}\n`);
    logger.debug({ err: error }, 'command failed');
    process.exitCode = 1;
  }
}
