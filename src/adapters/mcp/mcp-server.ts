import { readFileSync } from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { packageRoot } from '../../core/package-root.js';
import { registerBuildApp } from './build-app-tool.js';
import { registerIterate } from './iterate-tool.js';
import { registerJobStatus } from './job-status-tool.js';
import { registerListJobs } from './list-jobs-tool.js';
import type { McpCaller } from './mcp-tokens.js';
import type { McpToolDeps, ToolContext } from './tool-context.js';

export interface AutonomaMcpServerDeps extends McpToolDeps {
  /** Reported to clients in `initialize`; read from package.json when omitted. */
  version?: string;
  /** The token the caller presented (HTTP); stdio is the local user: full scope, every job. */
  caller?: McpCaller;
}

const LOCAL_CALLER: McpCaller = { name: 'stdio', scope: 'full' };

const INSTRUCTIONS =
  'Autonoma turns a sentence into a working web app delivered as a pull request. Call build_app with a ' +
  'description, then poll job_status with the returned requestId until the status is succeeded or ' +
  'failed (builds take minutes; poll every 10-30 s). To change an app, call iterate with the requestId ' +
  'of its build and a change request. list_jobs shows recent jobs.';

export function autonomaVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

/**
 * Autonoma as an MCP server: build_app, job_status, iterate and list_jobs over the generation service.
 * One server per connection (stdio) or per HTTP request (stateless Streamable HTTP).
 */
export function createAutonomaMcpServer(deps: AutonomaMcpServerDeps): McpServer {
  const server = new McpServer(
    { name: 'autonoma', title: 'Autonoma', version: deps.version ?? autonomaVersion() },
    { instructions: INSTRUCTIONS },
  );
  const caller = deps.caller ?? LOCAL_CALLER;
  const context: ToolContext = {
    service: deps.service,
    store: deps.store,
    // The token's name, never its secret, on every tool call's log line.
    logger: deps.logger.child({ tokenName: caller.name }),
    caller,
    clientName: () => server.server.getClientVersion()?.name,
  };
  registerBuildApp(server, context);
  registerJobStatus(server, context);
  registerIterate(server, context);
  registerListJobs(server, context);
  return server;
}
