import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { GenerationRequest, IdentityRef, ThreadRef } from '../../core/domain/request.js';
import { AutonomaError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { JobStore } from '../../core/ports/job-store.js';
import type { McpCaller } from './mcp-tokens.js';

/** What the tools need: the service validates and queues; the store answers listings and PR lookups. */
export interface McpToolDeps {
  service: GenerationService;
  store: Pick<JobStore, 'listRequests' | 'findPullRequest'>;
  logger: Logger;
}

export interface ToolContext extends McpToolDeps {
  /** Whose token this call came with: its scope and tenant bound what the tools do. */
  caller: McpCaller;
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

/** build_app and iterate need a `full` token; a `read` one is told so, and nothing is queued. */
export function requireFullScope(context: ToolContext, tool: string): void {
  if (context.caller.scope === 'full') return;
  throw new AutonomaError(
    'forbidden',
    `The MCP token "${context.caller.name}" is read-only: it may call job_status and list_jobs, not ${tool}. ` +
      'Ask whoever runs Autonoma for a token with scope "full" (MCP_TOKENS) to build or change apps.',
  );
}

/** Jobs made through a tenant's token belong to that tenant (stored as the request's installation). */
export function tenantInstallation(context: ToolContext): IdentityRef | undefined {
  const tenant = context.caller.tenant;
  return tenant ? { platform: 'mcp', externalId: tenant } : undefined;
}

/** Whether the caller may see (and change) `request`: any job without a tenant, else its tenant's only. */
export function visibleTo(context: ToolContext, request: GenerationRequest): boolean {
  const tenant = context.caller.tenant;
  if (!tenant) return true;
  return request.installation?.platform === 'mcp' && request.installation.externalId === tenant;
}
