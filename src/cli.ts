/**
 * Entry point of the `autonoma` command: turns argv into calls on the composition root.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { buildProgram, type CliHandlers } from './adapters/cli/program.js';
import { resultJson, resultText } from './adapters/cli/render-result.js';
import { runBuild } from './adapters/cli/run-build.js';
import { openRunLog } from './adapters/cli/run-log.js';
import { loadConfig, type Config } from './core/config.js';
import { GenerationRequestInputSchema } from './core/domain/request.js';
import { ConfigError } from './core/errors.js';
import { createLogger, type Logger } from './core/logger.js';
import { createSecretRedactor, type SecretRedactor } from './core/secrets/secret-redactor.js';
import { lowerWorkerPriority } from './jobs/worker-priority.js';
import type { OwnBuildWorker } from './main.js';

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

/** The first signal aborts (the build is cancelled); a second one exits at once. */
function interruptOnSignal(): AbortSignal {
  const controller = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    });
  }
  return controller.signal;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
      const {
        migrate,
        createRuntime,
        startServer,
        createChatAdapters,
        createService,
        createRecoverySweeper,
      } = await loadMain();
      await migrate(config, logger);
      const runtime = await createRuntime(config, logger, redactor);
      const server = await startServer(runtime, createChatAdapters(runtime, createService(runtime))).catch(
        async (error: unknown) => {
          await runtime.close(); // exit with the reason instead of idling on open connections
          throw error;
        },
      );
      const sweeper = createRecoverySweeper(runtime);
      sweeper.start();
      stop = async () => {
        await sweeper.stop();
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
      const { migrate, createRuntime, startWorker, createRecoverySweeper } = await loadMain();
      await migrate(config, logger, { warnWithoutVector: false });
      const runtime = await createRuntime(config, logger, redactor);
      const handle = await startWorker(runtime, {
        inbox: true,
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      }).catch(async (error: unknown) => {
        await runtime.close(); // e.g. no sandbox: exit with the reason instead of hanging on open connections
        throw error;
      });
      const sweeper = createRecoverySweeper(runtime);
      sweeper.start();
      stop = async () => {
        await sweeper.stop();
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
      // Checked before anything connects: a prompt that cannot be built is answered at once.
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
      // Human mode: the progress display is the story; the logs (stacks included) go to a file that a
      // failure names, or to stderr with --verbose. --json keeps only errors on stderr, as ever.
      const runLog =
        !options.json && !options.verbose
          ? openRunLog(path.join(config.dataDir, 'logs'), { command: 'build' })
          : undefined;
      const buildLogger = runLog
        ? createLogger({ level: config.logLevel, redactor, destination: runLog })
        : options.json && config.logLevel === 'info'
          ? logger.child({}, { level: 'error' })
          : logger;
      try {
        const { migrate, createRuntime, createService, startOwnBuildWorker } = await loadMain();
        await migrate(config, buildLogger);
        const runtime = await createRuntime(config, buildLogger, redactor);
        let own: OwnBuildWorker | undefined;
        try {
          // Its own worker runs this build only; with --no-worker it waits for `autonoma worker`.
          if (options.worker)
            own = await startOwnBuildWorker(runtime, {
              notify: (line) => process.stderr.write(`${line}\n`),
              ...(options.out ? { outDir: options.out } : {}),
            });
          return await runBuild(
            {
              input: parsed.data,
              json: options.json,
              inProcess: options.worker,
              ...(runLog ? { logFile: runLog.path } : {}),
            },
            {
              service: own?.service ?? createService(runtime),
              bus: runtime.bus,
              terminal: {
                stdout: (text) => process.stdout.write(text),
                stderr: (text) => process.stderr.write(text),
                isTTY: Boolean(process.stderr.isTTY),
              },
              // Only a build this process runs is cancelled on Ctrl-C; a queued one is left to the workers.
              ...(options.worker ? { interrupt: interruptOnSignal() } : {}),
            },
          );
        } finally {
          await own?.close();
          await runtime.close();
        }
      } catch (error) {
        if (!runLog) throw error;
        buildLogger.error({ err: error }, 'build failed');
        process.stderr.write(`autonoma: ${errorMessage(error)}\n  Details: ${runLog.path}\n`);
        return 1;
      } finally {
        runLog?.close();
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
    process.stderr.write(`autonoma: ${errorMessage(error)}\n`);
    logger.debug({ err: error }, 'command failed');
    process.exitCode = 1;
  }
}
