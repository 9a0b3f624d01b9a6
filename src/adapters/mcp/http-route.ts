import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type Request, type Response } from 'express';
import type { InboundRoute } from '../../core/ports/chat-adapter.js';
import { bearerTokenLookup } from './bearer-auth.js';
import { autonomaVersion, createAutonomaMcpServer, type AutonomaMcpServerDeps } from './mcp-server.js';
import type { McpCaller, McpToken } from './mcp-tokens.js';

export const MCP_PATH = '/mcp';

export interface McpHttpRouteDeps extends Omit<AutonomaMcpServerDeps, 'caller'> {
  /** MCP_BEARER_TOKEN and MCP_TOKENS, parsed (see parseMcpTokens): sent as `Authorization: Bearer <secret>`. */
  tokens: readonly McpToken[];
  /** Largest JSON body accepted (tool calls are small). Default 256kb. */
  bodyLimit?: string;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Express strips the mount path; a plain Node server does not. Anything deeper is not ours. */
function isMcpPath(req: IncomingMessage): boolean {
  const pathname = (req.url ?? '/').split('?')[0];
  return pathname === '/' || pathname === '' || pathname === MCP_PATH;
}

/**
 * `POST /mcp`: MCP over Streamable HTTP, stateless — each request gets its own server and transport,
 * so nothing is shared between callers and any instance behind a load balancer can answer. Requests
 * without the bearer token are refused before their body is read.
 */
export function mcpHttpRoute(deps: McpHttpRouteDeps): InboundRoute {
  const callerOf = bearerTokenLookup(deps.tokens);
  // Every body is read here, bounded, whatever its content type: the SDK would otherwise read one it
  // does not get pre-parsed without a limit. It still answers 415 for a content type other than JSON.
  const parseJson = express.json({ limit: deps.bodyLimit ?? '256kb', type: () => true });
  const log = deps.logger.child({ component: 'mcp-http' });
  // Read once: a server is created per request.
  const serverDeps: Omit<AutonomaMcpServerDeps, 'caller'> = {
    service: deps.service,
    store: deps.store,
    logger: deps.logger,
    version: deps.version ?? autonomaVersion(),
  };

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    caller: McpCaller,
  ): Promise<void> {
    const server = createAutonomaMcpServer({ ...serverDeps, caller });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  return {
    path: MCP_PATH,
    handler(req, res, next) {
      if (!isMcpPath(req)) {
        next();
        return;
      }
      const caller = callerOf(req.headers.authorization);
      if (!caller) {
        log.warn(
          { method: req.method, hasAuthorization: req.headers.authorization !== undefined },
          'mcp request without a valid bearer token',
        );
        sendJson(
          res,
          401,
          {
            error: {
              code: 'unauthorized',
              message:
                'Send a token configured on the server (MCP_BEARER_TOKEN or an MCP_TOKENS secret) as ' +
                '"Authorization: Bearer <token>".',
              requestId: (req as { id?: string }).id,
            },
          },
          { 'www-authenticate': 'Bearer realm="autonoma"' },
        );
        return;
      }
      if (req.method !== 'POST') {
        // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
        sendJson(
          res,
          405,
          { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed. Use POST.' }, id: null },
          { allow: 'POST' },
        );
        return;
      }
      parseJson(req as Request, res as Response, (error?: unknown) => {
        if (error) {
          next(error);
          return;
        }
        serve(req, res, (req as { body?: unknown }).body, caller).catch((failure: unknown) => {
          log.error({ err: failure, tokenName: caller.name }, 'mcp request failed');
          if (res.headersSent) res.end();
          else next(failure);
        });
      });
    },
  };
}
