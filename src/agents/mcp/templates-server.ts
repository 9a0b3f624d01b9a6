import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MAX_SEARCH_LIMIT, TEMPLATE_KINDS, type TemplateStore } from '../templates/template-store.js';
import { registerGuardedTool } from './tool-registration.js';

/** The tool's name, for the pipeline's per-agent tool lists. */
export const FIND_TEMPLATES_TOOL = 'find_templates';

export interface TemplatesServerOptions {
  store: Pick<TemplateStore, 'search'>;
  /** Characters of code per result (default 600): enough to recognise a pattern, cheap in tokens. */
  excerptChars?: number;
}

/**
 * `find_templates`: the nearest seeded templates to a description (pgvector cosine, or the exact SQL
 * fallback). Read-only; registered only when a template store is configured.
 */
export function createTemplatesServer(options: TemplatesServerOptions): McpServer {
  const server = new McpServer({ name: 'autonoma-templates', version: '1.0.0' });
  registerGuardedTool(
    server,
    FIND_TEMPLATES_TOOL,
    {
      description:
        'Find the templates closest to a description: whole-app project templates (kind "project") and code ' +
        'templates for one kind of file (scaffold, backend, frontend, testing, security, performance, deployment). ' +
        'Returns each template name, kind, framework, an excerpt and the cosine similarity (1 = closest).',
      inputSchema: {
        query: z.string().min(1).max(2000).describe('What you are looking for, in words or code.'),
        kind: z
          .enum(TEMPLATE_KINDS)
          .optional()
          .describe('Only templates of this kind; all kinds when omitted.'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_SEARCH_LIMIT)
          .optional()
          .describe(`How many templates to return (1–${MAX_SEARCH_LIMIT}, default 3).`),
      },
      outputSchema: {
        templates: z.array(
          z.object({
            name: z.string(),
            kind: z.enum(TEMPLATE_KINDS),
            framework: z.string(),
            excerpt: z.string(),
            similarity: z.number(),
          }),
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, kind, limit }, signal) => {
      const templates = await options.store.search(query, {
        limit: limit ?? 3,
        excerptChars: options.excerptChars ?? 600,
        signal,
        ...(kind ? { kind } : {}),
      });
      return {
        templates: templates.map((t) => ({ ...t, similarity: Math.round(t.similarity * 10_000) / 10_000 })),
      };
    },
  );
  return server;
}
