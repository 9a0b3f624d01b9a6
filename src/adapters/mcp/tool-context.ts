import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ThreadRef } from '../../core/domain/request.js';
import type { Logger } from '../../core/logger.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { JobStore } from '../../core/ports/job-store.js';

/** What the tools need: the service validates and queues; the store answers listings and PR lookups. */
export interface McpToolDeps {
  service: GenerationService;
  store: Pick<JobStore, 'listRequests' | 'findPullRequest'>;
  logger: Logger;
}

export interface ToolContext extends McpToolDeps {
  /** The MCP client's self-declared name (from `initialize`), when this connection saw it. */
  clientName(): string | undefined;
}

export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9:._-]+$/, 'Use letters, digits and : . _ - only in idempotencyKey.')
  .optional()
  .describe(
    'Any string unique to this intent (letters, digits, : . _ -). Calling again with the same key returns ' +
      'the first request instead of starting another one, so a retried call is safe.',
  );

export const RequestIdSchema = z.uuid('requestId is the UUID that build_app or list_jobs returned.');

export function mcpThread(context: ToolContext): ThreadRef {
  const clientName = context.clientName()?.slice(0, 200);
  return clientName ? { platform: 'mcp', clientName } : { platform: 'mcp' };
}

/** Scoped by tool, so one key used for a build and an iteration cannot collide. */
export function idempotencyKeyFor(tool: 'build' | 'iterate', key: string | undefined): string {
  return `mcp:${tool}:${key ?? randomUUID()}`;
}
