/**
 * `autonoma mcp` as an MCP client would start it, on the test database and a private queue namespace
 * (argv[2]); the test process runs the worker. Usage: node --import tsx mcp-stdio-child.ts <prefix>
 */
import { createLogger } from '../../src/core/logger.js';
import { runMcpStdio } from '../../src/mcp-main.js';
import { testConfig } from './test-env.js';

const prefix = process.argv[2] ?? 'missing-prefix';
const config = testConfig({ AUTONOMA_QUEUE_PREFIX: prefix, LOG_LEVEL: 'info' });
// The CLI's logger, as is: pino on stderr. Info level on purpose, to show logs never reach stdout.
const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
const handle = await runMcpStdio(config, logger, { worker: false });
await handle.closed;
