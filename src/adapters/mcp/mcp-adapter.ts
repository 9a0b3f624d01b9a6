import type { ChatAdapter } from '../../core/ports/chat-adapter.js';
import { ConfigError } from '../../core/errors.js';
import { mcpHttpRoute, type McpHttpRouteDeps } from './http-route.js';

/**
 * The MCP endpoint as an adapter of the HTTP server: `POST /mcp` and nothing else. MCP clients poll
 * `job_status` rather than receive pushed progress, so progress events for MCP requests are dropped.
 * Mount it only when MCP_BEARER_TOKEN is set.
 */
export function createMcpAdapter(deps: McpHttpRouteDeps): ChatAdapter {
  if (!deps.bearerToken) {
    throw new ConfigError(
      'The MCP endpoint needs MCP_BEARER_TOKEN (at least 16 characters); clients send it as a bearer token.',
    );
  }
  return {
    platform: 'mcp',
    routes: [mcpHttpRoute(deps)],
    async replyProgress() {
      // Nothing to push: MCP clients ask job_status.
    },
  };
}
