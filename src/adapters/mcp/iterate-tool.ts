import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { PROMPT_MAX_CHARS, REQUEST_STATUSES } from '../../core/domain/request.js';
import { InvalidInputError } from '../../core/errors.js';
import { resolveIterationTarget, type IterationReference } from './pull-request-target.js';
import {
  idempotencyKeyFor,
  IdempotencyKeySchema,
  mcpThread,
  RequestIdSchema,
  requireFullScope,
  tenantInstallation,
  type ToolContext,
} from './tool-context.js';
import { registerTool } from './tool-results.js';

function referenceFrom(args: { requestId?: string; repo?: string; pullNumber?: number }): IterationReference {
  const byRequest = args.requestId !== undefined;
  const byPull = args.repo !== undefined || args.pullNumber !== undefined;
  if (byRequest && byPull) {
    throw new InvalidInputError('Give either requestId, or repo and pullNumber, not both.');
  }
  if (args.requestId !== undefined) return { requestId: args.requestId };
  if (args.repo !== undefined && args.pullNumber !== undefined) {
    return { repo: args.repo, pullNumber: args.pullNumber };
  }
  throw new InvalidInputError(
    'Say which pull request to change: the requestId of its build, or both repo and pullNumber.',
  );
}

export function registerIterate(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    context.logger,
    'iterate',
    {
      title: 'Change an app',
      description:
        'Queue a change to an app Autonoma built: the change is committed to the same pull request. ' +
        'Name the pull request by the requestId of its build, or by repo and pullNumber. Returns the new ' +
        'requestId at once: poll job_status with it.',
      inputSchema: {
        requestId: RequestIdSchema.optional().describe(
          'The requestId of the build (or of an earlier iteration).',
        ),
        repo: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe('Repository name as job_status reports it (result.repository.name) or its URL.'),
        pullNumber: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('Pull request number in that repository.'),
        changeRequest: z
          .string()
          .max(PROMPT_MAX_CHARS, `Keep the change request under ${PROMPT_MAX_CHARS} characters.`)
          .describe('What to change, in plain words, e.g. "add a due date to tasks".'),
        idempotencyKey: IdempotencyKeySchema,
      },
      outputSchema: {
        requestId: z.string(),
        status: z.enum(REQUEST_STATUSES),
        created: z.boolean(),
        parentRequestId: z.string(),
        pullRequest: z.object({ repo: z.string(), number: z.number(), branch: z.string(), url: z.string() }),
      },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    async (args) => {
      requireFullScope(context, 'iterate');
      const resolved = await resolveIterationTarget(context, referenceFrom(args));
      const installation = tenantInstallation(context);
      const { request, created } = await context.service.submit({
        kind: 'iterate',
        prompt: args.changeRequest,
        source: 'mcp',
        thread: mcpThread(context),
        idempotencyKey: idempotencyKeyFor('iterate', args.idempotencyKey),
        parentRequestId: resolved.parentRequestId,
        target: resolved.target,
        ...(installation ? { installation } : {}),
      });
      return {
        requestId: request.id,
        status: request.status,
        created,
        parentRequestId: resolved.parentRequestId,
        pullRequest: {
          repo: resolved.target.repo,
          number: resolved.target.number,
          branch: resolved.target.branch,
          url: resolved.url,
        },
      };
    },
  );
}
