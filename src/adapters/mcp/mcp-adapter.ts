import type { ChatAdapter } from '../../core/ports/chat-adapter.js';
import { ConfigError } from '../../core/errors.js';
import { mcpHttpRoute, type McpHttpRouteDeps } from './http-route.js';
import { parseMcpTokens } from './mcp-tokens.js';

export interface McpAdapterDeps extends Omit<McpHttpRouteDeps, 'tokens'> {
  /** MCP_BEARER_TOKEN: one token with full scope over every job. */
  bearerToken?: string | undefined;
  /** MCP_TOKENS, as configured: named tokens with a scope and an optional tenant. */
  tokens?: string | undefined;
}

/**
 * The MCP endpoint as an adapter of the HTTP server: `POST /mcp` and nothing else. MCP clients poll
 * `job_status` rather than receive pushed progress, so progress events for MCP requests are dropped.
 * Mount it only when MCP_BEARER_TOKEN or MCP_TOKENS is set.
 */
export function createMcpAdapter(deps: McpAdapterDeps): ChatAdapter {
  const { bearerToken, tokens: rawTokens, ...routeDeps } = deps;
  const tokens = parseMcpTokens(bearerToken, rawTokens);
  if (tokens.length === 0) {
    throw new ConfigError(
      'The MCP endpoint needs MCP_BEARER_TOKEN (at least 16 characters) or MCP_TOKENS; clients send a ' +
        'token as a bearer token.',
    );
  }
  return {
    platform: 'mcp',
    routes: [mcpHttpRoute({ ...routeDeps, tokens })],
    async replyProgress() {
      // Nothing to push: MCP clients ask job_status.
    },
  };
}
