import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { PROMPT_MAX_CHARS, REQUEST_STATUSES } from '../../core/domain/request.js';
import {
  idempotencyKeyFor,
  IdempotencyKeySchema,
  mcpThread,
  requireFullScope,
  tenantInstallation,
  type ToolContext,
} from './tool-context.js';
import { registerTool } from './tool-results.js';

export function registerBuildApp(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    context.logger,
    'build_app',
    {
      title: 'Build a web app',
      description:
        'Queue a new web app built from a one-sentence description. Autonoma plans, generates, validates ' +
        '(install, lint, typecheck, test, build) and delivers it as a repository with a pull request. ' +
        'Returns at once with a requestId: poll job_status with it (builds take minutes).',
      inputSchema: {
        prompt: z
          .string()
          .max(PROMPT_MAX_CHARS, `Keep the description under ${PROMPT_MAX_CHARS} characters.`)
          .describe('What to build, in plain words, e.g. "a todo app with tags and due dates".'),
        idempotencyKey: IdempotencyKeySchema,
      },
      outputSchema: {
        requestId: z.string(),
        status: z.enum(REQUEST_STATUSES),
        created: z.boolean().describe('false when the idempotencyKey matched an earlier request'),
      },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    async ({ prompt, idempotencyKey }) => {
      requireFullScope(context, 'build_app');
      const installation = tenantInstallation(context);
      const { request, created } = await context.service.submit({
        kind: 'build',
        prompt,
        source: 'mcp',
        thread: mcpThread(context),
        idempotencyKey: idempotencyKeyFor('build', idempotencyKey),
        ...(installation ? { installation } : {}),
      });
      return { requestId: request.id, status: request.status, created };
    },
  );
}
