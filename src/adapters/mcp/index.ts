export { createAutonomaMcpServer, autonomaVersion, type AutonomaMcpServerDeps } from './mcp-server.js';
export { createMcpAdapter } from './mcp-adapter.js';
export { mcpHttpRoute, MCP_PATH, type McpHttpRouteDeps } from './http-route.js';
export { bearerTokenCheck, bearerTokenLookup } from './bearer-auth.js';
export { parseMcpTokens, type McpCaller, type McpToken } from './mcp-tokens.js';
export type { McpToolDeps } from './tool-context.js';
export { LIST_JOBS_MAX } from './list-jobs-tool.js';
export { InFlightTransport } from './in-flight-transport.js';
