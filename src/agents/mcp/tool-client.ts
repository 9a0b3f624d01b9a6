import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ConfigError, throwIfAborted, toAutonomaError } from '../../core/errors.js';
import { callSignal } from '../call-signal.js';
import type { ToolDefinition } from '../../core/ports/model-provider.js';

export interface ToolResult {
  /** What the model reads: the text parts of the result, joined. */
  content: string;
  isError: boolean;
  structured?: unknown;
}

export interface ToolClient {
  listTools(): Promise<ToolDefinition[]>;
  callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult>;
  close(): Promise<void>;
}

interface Connection {
  client: Client;
  server: McpServer;
}

async function connect(server: McpServer): Promise<Connection> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'autonoma-agent', version: '1.0.0' });
  await client.connect(clientTransport);
  return { client, server };
}

async function listAllTools(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

function textOf(result: CallToolResult): string {
  return result.content
    .map((part) => (part.type === 'text' ? part.text : `[${part.type} content omitted]`))
    .join('\n');
}

async function closeAll(connections: Connection[]): Promise<void> {
  // Closing the client closes the linked transport, and with it the server's side.
  await Promise.allSettled(connections.map(({ client }) => client.close()));
}

/**
 * Connects one in-process MCP client per server and presents them as one tool set. Tool names must be
 * unique across servers, so a model's call routes to exactly one of them.
 */
export async function connectToolServers(servers: McpServer[]): Promise<ToolClient> {
  const connections: Connection[] = [];
  const routes = new Map<string, Connection>();
  const definitions: ToolDefinition[] = [];
  try {
    for (const server of servers) {
      const connection = await connect(server);
      connections.push(connection);
      for (const tool of await listAllTools(connection.client)) {
        if (routes.has(tool.name)) {
          throw new ConfigError(
            `Two MCP servers both offer a tool named "${tool.name}": rename one of them.`,
          );
        }
        routes.set(tool.name, connection);
        definitions.push({
          name: tool.name,
          description: tool.description ?? '',
          inputSchema: tool.inputSchema,
        });
      }
    }
  } catch (error) {
    await closeAll(connections);
    throw error;
  }

  let closed = false;
  return {
    listTools: () => Promise.resolve(definitions.map((definition) => ({ ...definition }))),

    async callTool(name, args, signal) {
      throwIfAborted(signal);
      const connection = routes.get(name);
      if (connection === undefined) {
        const available = [...routes.keys()].join(', ');
        return { content: `Unknown tool "${name}". Available tools: ${available}.`, isError: true };
      }
      const call = callSignal(signal);
      try {
        const result = (await connection.client.callTool({ name, arguments: args }, undefined, {
          signal: call.signal,
        })) as CallToolResult;
        return {
          content: textOf(result),
          isError: result.isError === true,
          structured: result.structuredContent,
        };
      } catch (error) {
        throwIfAborted(signal);
        // Protocol-level refusals (e.g. output not matching its schema) are the tool's failure, for the model to see.
        if (error instanceof McpError) return { content: error.message, isError: true };
        throw toAutonomaError(error, 'agent_failed');
      } finally {
        call.end();
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await closeAll(connections);
    },
  };
}
