import { readFile } from 'node:fs/promises';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AutonomaError } from '../../core/errors.js';
import { checkSyntax } from './check-syntax.js';
import { outlineSource } from './outline.js';
import { languageForPath } from './syntax.js';
import { registerGuardedTool, workspacePathSchema } from './tool-registration.js';
import { createWorkspaceJail } from './workspace-jail.js';

export interface CodeServerOptions {
  /** The same workspace root as the workspace server's. */
  root: string;
}

const problem = z.object({ line: z.number().int(), column: z.number().int(), message: z.string() });

const fileReport = z.object({
  path: z.string(),
  language: z.enum(['typescript', 'tsx', 'json', 'yaml', 'unknown']),
  ok: z.boolean(),
  skipped: z.boolean(),
  errors: z.array(problem),
});

const outlineSymbol = z.object({
  kind: z.enum(['function', 'class', 'interface', 'type', 'enum', 'variable', 'export', 'method']),
  name: z.string(),
  line: z.number().int(),
  exported: z.boolean(),
});

/** Read-only code tools over the workspace, backed by tree-sitter: syntax checks and outlines. */
export function createCodeServer(options: CodeServerOptions): McpServer {
  const jail = createWorkspaceJail(options.root);
  const server = new McpServer({ name: 'autonoma-code', version: '1.0.0' });

  registerGuardedTool(
    server,
    'check_syntax',
    {
      description:
        'Report syntax errors (1-based line, column) in TS/JS/JSON/YAML files: the paths given, or all of them.',
      inputSchema: {
        paths: z.array(workspacePathSchema).max(500).optional(),
      },
      outputSchema: { ok: z.boolean(), files: z.array(fileReport) },
      annotations: { readOnlyHint: true },
    },
    ({ paths }) => checkSyntax(options.root, paths),
  );

  registerGuardedTool(
    server,
    'outline',
    {
      description:
        'Top-level declarations (functions, classes, methods, types, variables, exports) of a TS/JS file, with 1-based lines.',
      inputSchema: { path: workspacePathSchema },
      outputSchema: { path: z.string(), symbols: z.array(outlineSymbol) },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const language = languageForPath(args.path);
      if (language !== 'typescript' && language !== 'tsx') {
        throw new AutonomaError(
          'invalid_input',
          `outline reads .ts, .tsx and .js-family files only, not ${JSON.stringify(args.path)}.`,
        );
      }
      const file = await jail.resolve(args.path);
      const source = await readFile(file.absolute, 'utf8');
      return { path: file.relative, symbols: await outlineSource(language, source) };
    },
  );

  return server;
}
