import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AutonomaError } from '../../core/errors.js';
import { registerGuardedTool, workspacePathSchema } from './tool-registration.js';
import { measureWorkspace, walkFiles } from './workspace-files.js';
import { createWorkspaceJail, WorkspaceAccessError } from './workspace-jail.js';
import { searchFiles } from './workspace-search.js';

export interface WorkspaceLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxTotalBytes: number;
}

export const DEFAULT_WORKSPACE_LIMITS: Readonly<WorkspaceLimits> = {
  maxFileBytes: 512 * 1024,
  maxFiles: 2000,
  maxTotalBytes: 20 * 1024 * 1024,
};

export interface WorkspaceServerOptions {
  /** Folder the tools may see and change; every tool path is relative to it. */
  root: string;
  limits?: Partial<WorkspaceLimits>;
  /** Called after each successful write, with the relative path and its size in bytes. */
  onWrite?: (path: string, bytes: number) => void;
  /** Budget for the regex matching of one search_files call (default 2000 ms). */
  searchTimeoutMs?: number;
}

const MAX_SEARCH_MATCHES = 200;
const DEFAULT_SEARCH_TIMEOUT_MS = 2000;

async function statOrUndefined(absolute: string): Promise<Stats | undefined> {
  try {
    return await stat(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The lines asked for (all by default), with where they sit in the file. */
function lineRange(text: string, start = 1, end?: number) {
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const totalLines = text === '' ? 0 : lines.length;
  if (start === 1 && (end === undefined || end >= totalLines))
    return { content: text, totalLines, startLine: 1, endLine: totalLines };
  const from = Math.min(start, totalLines);
  const to = Math.max(from, Math.min(end ?? totalLines, totalLines));
  return { content: lines.slice(from - 1, to).join('\n'), totalLines, startLine: from, endLine: to };
}

function limitError(message: string): AutonomaError {
  return new AutonomaError('budget_exceeded', message);
}

/** The file tools an agent works through: list, read, write, delete and search, all jailed to `root`. */
export function createWorkspaceServer(options: WorkspaceServerOptions): McpServer {
  const limits: WorkspaceLimits = { ...DEFAULT_WORKSPACE_LIMITS, ...options.limits };
  const jail = createWorkspaceJail(options.root);
  const server = new McpServer({ name: 'autonoma-workspace', version: '1.0.0' });

  // Writes and deletes run one at a time so that two concurrent writes cannot both pass the limit check.
  let lastChange: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(change: () => Promise<T>): Promise<T> => {
    const result = lastChange.then(change, change);
    lastChange = result.catch(() => undefined);
    return result;
  };

  registerGuardedTool(
    server,
    'list_files',
    {
      description:
        'List the workspace files (or those under dir) recursively, sorted; skips node_modules and .git.',
      inputSchema: {
        dir: z
          .string()
          .max(1024)
          .optional()
          .describe('Folder relative to the workspace root; the root when omitted.'),
      },
      outputSchema: { files: z.array(z.string()), truncated: z.boolean() },
      annotations: { readOnlyHint: true },
    },
    async ({ dir }) => {
      const folder = await jail.resolve(dir ?? '', { allowRoot: true });
      const info = await statOrUndefined(folder.absolute);
      if (info === undefined)
        throw new AutonomaError('not_found', `No folder ${JSON.stringify(dir)} in the workspace.`);
      if (!info.isDirectory())
        throw new AutonomaError('invalid_input', `${JSON.stringify(dir)} is a file, not a folder.`);
      const walk = await walkFiles(folder.absolute, folder.relative, limits.maxFiles);
      return { files: walk.files.map((file) => file.relative), truncated: walk.truncated };
    },
  );

  registerGuardedTool(
    server,
    'read_file',
    {
      description:
        'Read a UTF-8 text file of the workspace, or only lines startLine..endLine (1-based, inclusive) of it.',
      inputSchema: {
        path: workspacePathSchema,
        startLine: z.number().int().min(1).optional(),
        endLine: z.number().int().min(1).optional(),
      },
      outputSchema: {
        path: z.string(),
        content: z.string(),
        totalLines: z.number().int(),
        startLine: z.number().int(),
        endLine: z.number().int(),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const file = await jail.resolve(args.path);
      const info = await stat(file.absolute);
      if (info.isDirectory())
        throw new AutonomaError('invalid_input', `${JSON.stringify(args.path)} is a folder; use list_files.`);
      if (info.size > limits.maxFileBytes) {
        throw limitError(
          `${JSON.stringify(args.path)} is ${info.size} bytes, over the ${limits.maxFileBytes}-byte limit for reading.`,
        );
      }
      const content = await readFile(file.absolute);
      if (content.includes(0))
        throw new AutonomaError('invalid_input', `${JSON.stringify(args.path)} is a binary file.`);
      return { path: file.relative, ...lineRange(content.toString('utf8'), args.startLine, args.endLine) };
    },
  );

  registerGuardedTool(
    server,
    'write_file',
    {
      description: 'Create or replace a UTF-8 text file in the workspace, creating missing folders.',
      inputSchema: {
        path: workspacePathSchema,
        content: z.string().describe('The whole new content of the file.'),
      },
      outputSchema: { path: z.string(), bytes: z.number().int(), created: z.boolean() },
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (args) =>
      oneAtATime(async () => {
        const file = await jail.resolve(args.path);
        if (file.relative.split('/')[0] === 'node_modules') {
          throw new WorkspaceAccessError(
            'node_modules is managed by the package manager: change package.json instead.',
          );
        }
        const bytes = Buffer.byteLength(args.content, 'utf8');
        if (bytes > limits.maxFileBytes) {
          throw limitError(
            `The content is ${bytes} bytes, over the ${limits.maxFileBytes}-byte limit for one file: split it.`,
          );
        }
        const existing = await statOrUndefined(file.absolute);
        if (existing?.isDirectory())
          throw new AutonomaError('invalid_input', `${JSON.stringify(args.path)} is a folder.`);
        const usage = await measureWorkspace(await jail.root());
        if (existing === undefined && usage.fileCount + 1 > limits.maxFiles) {
          throw limitError(
            `The workspace already holds ${usage.fileCount} files, the limit; delete some before adding more.`,
          );
        }
        const newTotal = usage.totalBytes - (existing?.size ?? 0) + bytes;
        if (newTotal > limits.maxTotalBytes) {
          throw limitError(
            `Writing would bring the workspace to ${newTotal} bytes, over its ${limits.maxTotalBytes}-byte limit.`,
          );
        }
        await mkdir(path.dirname(file.absolute), { recursive: true });
        await writeFile(file.absolute, args.content, 'utf8');
        options.onWrite?.(file.relative, bytes);
        return { path: file.relative, bytes, created: existing === undefined };
      }),
  );

  registerGuardedTool(
    server,
    'delete_file',
    {
      description: 'Delete a workspace file (deleted: false when it did not exist).',
      inputSchema: { path: workspacePathSchema },
      outputSchema: { path: z.string(), deleted: z.boolean() },
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (args) =>
      oneAtATime(async () => {
        const file = await jail.resolve(args.path);
        const existing = await statOrUndefined(file.absolute);
        if (existing === undefined) return { path: file.relative, deleted: false };
        if (existing.isDirectory()) {
          throw new AutonomaError(
            'invalid_input',
            `${JSON.stringify(args.path)} is a folder; delete the files in it one by one.`,
          );
        }
        await rm(file.absolute);
        return { path: file.relative, deleted: true };
      }),
  );

  registerGuardedTool(
    server,
    'search_files',
    {
      description: `Find lines containing pattern (a JS regex when regex is true) in workspace text files; at most ${MAX_SEARCH_MATCHES} matches.`,
      inputSchema: {
        pattern: z.string().min(1).max(200).describe('Text or regex to find.'),
        regex: z.boolean().optional(),
        caseSensitive: z.boolean().optional().describe('Default true.'),
        glob: z.string().max(200).optional().describe('Only files matching this glob, e.g. "src/**/*.tsx".'),
      },
      outputSchema: {
        matches: z.array(z.object({ path: z.string(), line: z.number().int(), text: z.string() })),
        truncated: z.boolean(),
      },
      annotations: { readOnlyHint: true },
    },
    async (args, signal) => {
      const { files } = await walkFiles(await jail.root(), '');
      return searchFiles(
        files,
        {
          pattern: args.pattern,
          regex: args.regex ?? false,
          caseSensitive: args.caseSensitive ?? true,
          glob: args.glob,
        },
        {
          maxMatches: MAX_SEARCH_MATCHES,
          maxFileBytes: limits.maxFileBytes,
          regexTimeoutMs: options.searchTimeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS,
        },
        signal,
      );
    },
  );

  return server;
}
