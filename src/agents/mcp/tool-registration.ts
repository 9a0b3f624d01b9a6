import type { McpServer, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { AutonomaError } from '../../core/errors.js';

/** The `path` argument of every file tool. */
export const workspacePathSchema = z
  .string()
  .min(1)
  .max(1024)
  .describe('Path relative to the workspace root.');

export interface ToolConfig<In extends z.ZodRawShape, Out extends z.ZodRawShape> {
  description: string;
  inputSchema: In;
  outputSchema: Out;
  annotations?: ToolAnnotations;
}

export type ToolRun<In extends z.ZodRawShape, Out extends z.ZodRawShape> = (
  args: z.infer<z.ZodObject<In>>,
  signal: AbortSignal,
) => Promise<z.infer<z.ZodObject<Out>>>;

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'does not exist. Call list_files to see what exists.',
  EISDIR: 'is a folder, not a file.',
  ENOTDIR: 'goes through something that is a file, not a folder.',
  EEXIST: 'already exists.',
  EACCES: 'cannot be accessed (permission denied).',
  EPERM: 'cannot be accessed (operation not permitted).',
  ENAMETOOLONG: 'has a name that is too long.',
};

/**
 * Words a failure for the model. File-system errors are rephrased without the absolute host path
 * (which the model must not learn or use); anything else keeps its message.
 */
export function describeToolFailure(error: unknown, requestedPath?: string): string {
  if (error instanceof AutonomaError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const explanation = code === undefined ? undefined : FS_ERRORS[code];
  if (explanation !== undefined) {
    return requestedPath === undefined
      ? `A path ${explanation}`
      : `${JSON.stringify(requestedPath)} ${explanation}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function toolSuccess(structured: Record<string, unknown>): CallToolResult {
  // MCP asks tools with structured output to repeat it as JSON text for clients that only read text.
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

export function toolFailure(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * Registers a tool whose handler returns its structured output and may throw: every failure becomes an
 * `isError` result the model can read and act on, never a crash of the server or a protocol error.
 */
export function registerGuardedTool<In extends z.ZodRawShape, Out extends z.ZodRawShape>(
  server: McpServer,
  name: string,
  config: ToolConfig<In, Out>,
  run: ToolRun<In, Out>,
): void {
  const handler = async (
    args: z.infer<z.ZodObject<In>>,
    extra: { signal: AbortSignal },
  ): Promise<CallToolResult> => {
    try {
      return toolSuccess(await run(args, extra.signal));
    } catch (error) {
      const requestedPath = (args as { path?: unknown }).path;
      return toolFailure(
        describeToolFailure(error, typeof requestedPath === 'string' ? requestedPath : undefined),
      );
    }
  };
  server.registerTool(name, config, handler as unknown as ToolCallback<In>);
}
