import type http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * Slack's Socket Mode side, on the Web API stand-in's own port: `apps.connections.open` hands out
 * `url`; a client that connects gets `hello`, then whatever envelopes a test delivers, and each
 * delivery resolves with the `{ envelope_id, payload }` the app acknowledged it with.
 */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SocketEnvelope {
  envelope_id: string;
  type: string;
  payload: Record<string, unknown>;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketModeStandIn {
  /** The ws:// URL `apps.connections.open` answers with. */
  url: string;
  /** Connections accepted so far (a second one would mean the app reconnected). */
  readonly connections: number;
  /** Close codes of ended connections, in order (1000: the app closed cleanly). */
  closes: number[];
  /** Sends an envelope on the newest connection; resolves with its ack, rejects after `timeoutMs`. */
  deliver(envelope: SocketEnvelope, timeoutMs?: number): Promise<SocketAck>;
  close(): Promise<void>;
}

const SOCKET_PATH = '/link/';

export function attachSocketModeStandIn(server: http.Server, httpUrl: string): SocketModeStandIn {
  const wss = new WebSocketServer({ server, path: SOCKET_PATH });
  const sockets: WebSocket[] = [];
  const closes: number[] = [];
  const waiting = new Map<string, ((ack: SocketAck) => void)[]>();

  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('close', (code) => closes.push(code));
    socket.on('message', (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      waiting.get(ack.envelope_id)?.shift()?.(ack);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: sockets.length,
        debug_info: { host: 'stand-in', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A1' },
      }),
    );
  });

  return {
    url: `${httpUrl.replace(/^http/, 'ws')}${SOCKET_PATH}?ticket=stand-in`,
    get connections() {
      return sockets.length;
    },
    closes,
    deliver(envelope, timeoutMs = 10_000) {
      const socket = sockets.at(-1);
      if (!socket || socket.readyState !== socket.OPEN) {
        return Promise.reject(new Error('Socket Mode stand-in: no app is connected'));
      }
      return new Promise<SocketAck>((resolve, reject) => {
        const queue = waiting.get(envelope.envelope_id) ?? [];
        const onAck = (ack: SocketAck) => {
          clearTimeout(timer);
          resolve(ack);
        };
        const timer = setTimeout(() => {
          queue.splice(queue.indexOf(onAck), 1);
          reject(new Error(`Socket Mode stand-in: envelope ${envelope.envelope_id} was not acked`));
        }, timeoutMs);
        queue.push(onAck);
        waiting.set(envelope.envelope_id, queue);
        socket.send(JSON.stringify(envelope));
      });
    },
    close() {
      for (const socket of sockets) socket.terminate();
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A slash command as Socket Mode delivers it: the form fields of the HTTP request, as JSON. */
export function slashCommandEnvelope(envelopeId: string, formBody: string): SocketEnvelope {
  return {
    envelope_id: envelopeId,
    type: 'slash_commands',
    accepts_response_payload: true,
    payload: Object.fromEntries(new URLSearchParams(formBody)),
  };
}

/** An Events API delivery as Socket Mode wraps it: the `event_callback` body, as JSON. */
export function eventEnvelope(envelopeId: string, jsonBody: string, retryAttempt = 0): SocketEnvelope {
  return {
    envelope_id: envelopeId,
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: retryAttempt,
    retry_reason: retryAttempt > 0 ? 'timeout' : '',
    payload: JSON.parse(jsonBody) as Record<string, unknown>,
  };
}

/** A button click as Socket Mode delivers it: the `payload` field of the HTTP form, parsed. */
export function interactiveEnvelope(envelopeId: string, formBody: string): SocketEnvelope {
  return {
    envelope_id: envelopeId,
    type: 'interactive',
    accepts_response_payload: false,
    payload: JSON.parse(new URLSearchParams(formBody).get('payload') ?? '{}') as Record<string, unknown>,
  };
}
