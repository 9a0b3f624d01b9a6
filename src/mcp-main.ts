/**
 * Composition for `autonoma mcp`: Autonoma as an MCP server over stdio, for AI tools that start it as
 * a child process. stdout carries the protocol and nothing else; logs go to the logger (stderr).
 */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createAutonomaMcpServer, InFlightTransport } from './adapters/mcp/index.js';
import type { Config } from './core/config.js';
import type { Logger } from './core/logger.js';
import type { SecretRedactor } from './core/secrets/secret-redactor.js';
import { createRuntime, createService, migrate, startWorker, type WorkerHandle } from './main.js';

/** Tool calls are database reads and writes: they finish quickly, or not at all. */
const IN_FLIGHT_GRACE_MS = 5_000;

export interface McpStdioOptions {
  /**
   * Also run a queue worker in this process (default true, like `autonoma build`), so builds progress
   * without a separate `autonoma worker`. Jobs still running at exit are retried by any worker.
   */
  worker?: boolean;
  /** How long a running job may finish when the client disconnects. Default 10 s. */
  workerGraceMs?: number;
  /** The protocol streams (default: this process's stdin and stdout). */
  stdin?: Readable;
  stdout?: Writable;
  /** The logger's redactor (default: one from `config.secrets`). */
  redactor?: SecretRedactor;
}

export interface McpStdioHandle {
  /** Resolves once everything is closed, after the client disconnects (stdin ends) or `close()`. */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the MCP server on stdio. `logger` must not write to stdout (the CLI's logger writes to
 * stderr): a single stray line there corrupts the protocol.
 */
export async function runMcpStdio(
  config: Config,
  logger: Logger,
  options: McpStdioOptions = {},
): Promise<McpStdioHandle> {
  const log = logger.child({ component: 'mcp-stdio' });
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  await migrate(config, log);
  const runtime = await createRuntime(config, log, options.redactor);
  let worker: WorkerHandle | undefined;
  try {
    if (options.worker ?? true) worker = await startWorker(runtime);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const server = createAutonomaMcpServer({
    service: createService(runtime),
    store: runtime.store,
    logger: log,
  });

  let closing: Promise<void> | undefined;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        // Answer what the client already asked before letting go of the connection.
        await transport.idle(IN_FLIGHT_GRACE_MS);
        await server.close();
        await worker?.close(options.workerGraceMs ?? 10_000);
        await runtime.close();
        log.info({}, 'mcp stdio server stopped');
      } finally {
        markClosed();
      }
    })();
    return closing;
  };

  const transport = new InFlightTransport(new StdioServerTransport(stdin, stdout));
  transport.onerror = (error) => log.warn({ err: error }, 'mcp stdio transport error');
  // A client that exits while an answer is being written: nothing left to tell it.
  stdout.on('error', (error) => log.debug({ err: error }, 'mcp stdout closed'));
  // The SDK's transport does not notice the client going away; stdin ending is that signal.
  stdin.once('end', () => {
    log.info({}, 'mcp client disconnected');
    void close();
  });
  try {
    await server.connect(transport);
  } catch (error) {
    await close();
    throw error;
  }
  log.info({ worker: worker !== undefined, forge: config.forge }, 'mcp stdio server ready');
  return { closed, close };
}
