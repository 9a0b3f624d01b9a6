import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { DiscordContext } from './context.js';
import { InteractionSchema } from './interaction-schema.js';
import { handleInteraction } from './interactions.js';
import { verifyDiscordSignature } from './verify-signature.js';

/** Interactions are small; anything larger is not from Discord. */
const MAX_BODY_BYTES = 256 * 1024;

export interface InteractionsEndpointDeps {
  ctx: DiscordContext;
  publicKey: KeyObject;
  /** Work started after answering (tracked so tests and shutdown can wait for it). */
  track(work: Promise<void>): void;
}

/**
 * `POST /discord/interactions`: reads the raw body, checks the Ed25519 signature over
 * `timestamp + body` (401 otherwise, which is also what Discord's endpoint check expects), answers
 * within Discord's 3 seconds, then carries on with any follow-up work.
 */
export function interactionsEndpoint(deps: InteractionsEndpointDeps) {
  const log = deps.ctx.logger.child({ component: 'discord-interactions' });
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (req.method !== 'POST') {
      send(res, 405, { error: 'Use POST.' }, { allow: 'POST' });
      return;
    }
    readBody(req)
      .then(async (body) => {
        if (body === undefined) return send(res, 413, { error: 'Body too large.' });
        const signature = header(req, 'x-signature-ed25519');
        const timestamp = header(req, 'x-signature-timestamp');
        if (!verifyDiscordSignature(deps.publicKey, signature, timestamp, body)) {
          return send(res, 401, { error: 'Invalid request signature.' });
        }
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          return send(res, 400, { error: 'Body is not JSON.' });
        }
        const parsed = InteractionSchema.safeParse(json);
        if (!parsed.success) {
          log.warn({ issues: parsed.error.issues.slice(0, 5) }, 'discord interaction not understood');
          return send(res, 400, { error: 'Interaction payload not understood.' });
        }
        const outcome = await handleInteraction(deps.ctx, parsed.data);
        send(res, 200, outcome.response);
        if (outcome.after) {
          deps.track(
            outcome.after().catch((error: unknown) => {
              log.error(
                { err: error, interactionId: parsed.data.id },
                'discord interaction follow-up failed',
              );
            }),
          );
        }
      })
      .catch(next);
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The exact bytes received (the signature covers them), or undefined past the size limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
