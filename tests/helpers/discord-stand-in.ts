import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface DiscordCall {
  method: string;
  /** Decoded path below `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  body: Record<string, unknown> | undefined;
  /** The uploaded files' names and text (text attachments). */
  files: Array<{ name: string; text: string }>;
  /** The same uploads in full: form field, content type, bytes. */
  uploads: UploadedFile[];
  authorized: boolean;
}

/** A multipart file part as it arrived: its form field (`files[0]`), name, type and bytes. */
export interface UploadedFile {
  key: string;
  name: string;
  contentType: string;
  text: string;
  bytes: Buffer;
}

/** An attachment as Discord returns it on a message. */
export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  content_type: string;
  description?: string;
  url: string;
  /** The bytes uploaded (not in Discord's JSON; kept so tests can check them). */
  bytes: Buffer;
}

interface StoredMessage {
  id: string;
  channel_id: string;
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  attachments?: StoredAttachment[];
  thread?: { id: string };
}

type Override = {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Only requests that upload files. */
  uploads?: boolean;
};

/**
 * Discord's REST API (and, optionally, its gateway) on a local port. Records every call; keeps the
 * messages it was sent so edits and threads behave like Discord's (a thread started on a message has
 * the message's id; a second start answers error 160004).
 */
export class DiscordStandIn {
  readonly calls: DiscordCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  /** The channel each interaction token's response lives in (set by `sendInteraction`). */
  readonly interactionChannels = new Map<string, string>();
  private readonly overrides: Override[] = [];
  private readonly originals = new Map<string, string>();
  private readonly threads = new Map<string, string>();
  private readonly sockets = new Set<WebSocket>();
  private nextId = 900_000_000_000_000_000n;
  private sequence = 0;
  private server!: http.Server;
  private wss: WebSocketServer | undefined;
  readonly identified: Array<Record<string, unknown>> = [];
  url = '';

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  async start(options: { gateway?: boolean } = {}): Promise<this> {
    this.server = http.createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    if (options.gateway) this.startGateway();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answers the next matching call with this status and body instead (e.g. a 429). */
  failNext(
    method: string,
    path: RegExp,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ): void {
    this.overrides.push({ method, path, status, body, ...(headers ? { headers } : {}) });
  }

  /** Answers the next request that uploads files (any route) with this status and body instead. */
  failNextUpload(status: number, body: unknown): void {
    this.overrides.push({ method: 'POST', path: /./, status, body, uploads: true });
  }

  find(method: string, path: RegExp): DiscordCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  /** The current state of the response message of an interaction token. */
  original(token: string): StoredMessage | undefined {
    const id = this.originals.get(token);
    return id ? this.messages.get(id) : undefined;
  }

  /** Messages posted in a channel or thread, oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  /** Sends a gateway dispatch (e.g. MESSAGE_CREATE) to every connected client. */
  dispatch(type: string, data: unknown): void {
    const packet = JSON.stringify({ op: 0, t: type, s: ++this.sequence, d: data });
    for (const socket of this.sockets) socket.send(packet);
  }

  private id(): string {
    this.nextId += 1n;
    return this.nextId.toString();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const raw = await readAll(req);
    const url = new URL(req.url ?? '/', this.url);
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    const { body, files } = await parseBody(req.headers['content-type'] ?? '', raw);
    this.calls.push({
      method,
      path,
      body,
      files: files.map(({ name, text }) => ({ name, text })),
      uploads: files,
      authorized: Boolean(req.headers.authorization),
    });

    const reply = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const override = this.overrides.findIndex(
      (o) => o.method === method && o.path.test(path) && (!o.uploads || files.length > 0),
    );
    if (override >= 0) {
      const [o] = this.overrides.splice(override, 1);
      return reply(o!.status, o!.body, o!.headers);
    }
    const refused = checkUploads(body, files);
    if (refused) return reply(refused.status, refused.error);

    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return reply(200, {
        url: this.url.replace(/^http/, 'ws'),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.exec(path)) && method === 'PATCH') {
      const token = m[2]!;
      let id = this.originals.get(token);
      if (!id) {
        id = this.id();
        this.originals.set(token, id);
        this.messages.set(id, { id, channel_id: this.interactionChannels.get(token) ?? '1' });
      }
      return reply(200, this.update(id, body, files));
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      return reply(200, this.create(this.interactionChannels.get(m[2]!) ?? '1', body, files));
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path)) && method === 'POST') {
      const [, channelId, messageId] = m as unknown as [string, string, string];
      if (this.threads.has(messageId)) {
        return reply(400, { code: 160004, message: 'A thread has already been created for this message' });
      }
      this.threads.set(messageId, channelId);
      const message = this.messages.get(messageId);
      if (message) message.thread = { id: messageId };
      return reply(201, { id: messageId, type: 11, parent_id: channelId, name: body?.name });
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      return reply(200, this.create(m[1]!, body, files));
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'PATCH') {
      if (!this.messages.has(m[2]!)) return reply(404, { code: 10008, message: 'Unknown Message' });
      return reply(200, this.update(m[2]!, body, files));
    }
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/\d+)?\/commands$/.exec(path)) && method === 'PUT') {
      const commands = Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [];
      return reply(
        200,
        commands.map((c) => ({ ...c, id: this.id(), application_id: m![1], version: '1' })),
      );
    }
    if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(path) && method === 'POST') return reply(204);
    reply(404, { code: 0, message: `stand-in has no route for ${method} ${path}` });
  }

  private create(
    channelId: string,
    body: Record<string, unknown> | undefined,
    files: UploadedFile[] = [],
  ): StoredMessage {
    const id = this.id();
    this.messages.set(id, { id, channel_id: channelId });
    return this.update(id, body, files);
  }

  private update(
    id: string,
    body: Record<string, unknown> | undefined,
    files: UploadedFile[] = [],
  ): StoredMessage {
    const message = this.messages.get(id)!;
    for (const key of ['content', 'embeds', 'components'] as const) {
      if (body && key in body) (message as unknown as Record<string, unknown>)[key] = body[key];
    }
    if (files.length > 0) {
      const listed = (body?.attachments ?? []) as Array<{ id: number | string; description?: string }>;
      message.attachments = files.map((file) => {
        const entry = listed.find((a) => String(a.id) === /^files\[(\d+)\]$/.exec(file.key)![1]);
        const id = this.id();
        return {
          id,
          filename: file.name,
          size: file.bytes.length,
          content_type: file.contentType,
          ...(entry?.description ? { description: entry.description } : {}),
          url: `${this.url}/attachments/${message.channel_id}/${id}/${file.name}`,
          bytes: file.bytes,
        };
      });
    }
    return { ...message };
  }

  /** A minimal gateway: HELLO, IDENTIFY → READY, heartbeat ACKs; then `dispatch()` sends events. */
  private startGateway(): void {
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
      socket.on('message', (data) => {
        const packet = JSON.parse(String(data)) as { op: number; d: Record<string, unknown> };
        if (packet.op === 1) socket.send(JSON.stringify({ op: 11 }));
        if (packet.op === 2) {
          this.identified.push(packet.d);
          socket.send(
            JSON.stringify({
              op: 0,
              t: 'READY',
              s: ++this.sequence,
              d: {
                v: 10,
                user: { id: '100000000000000001', username: 'autonoma', discriminator: '0', bot: true },
                guilds: [],
                session_id: 'stand-in-session',
                resume_gateway_url: this.url.replace(/^http/, 'ws'),
                application: { id: '100000000000000001', flags: 0 },
                shard: [0, 1],
              },
            }),
          );
        }
      });
    });
  }
}

async function readAll(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Discord's upload limits for a bot without boosts: 10 files, 10 MiB per message. */
const MAX_FILES = 10;
const MAX_UPLOAD_BYTES = 10 * 2 ** 20;

/**
 * Refuses uploads as Discord does: file parts named `files[n]`, each listed in `attachments` with
 * id n and its filename; at most 10 of them and 10 MiB in all (413, code 40005).
 */
function checkUploads(
  body: Record<string, unknown> | undefined,
  files: UploadedFile[],
): { status: number; error: { code: number; message: string } } | undefined {
  if (files.length === 0) return undefined;
  const invalid = (message: string) => ({
    status: 400,
    error: { code: 50035, message: `Invalid Form Body: ${message}` },
  });
  if (files.length > MAX_FILES) return invalid(`at most ${MAX_FILES} files`);
  const total = files.reduce((sum, file) => sum + file.bytes.length, 0);
  if (total > MAX_UPLOAD_BYTES)
    return { status: 413, error: { code: 40005, message: 'Request entity too large' } };
  const listed = body?.attachments;
  if (!Array.isArray(listed)) return invalid('attachments must list the uploaded files');
  for (const file of files) {
    const index = /^files\[(\d+)\]$/.exec(file.key)?.[1];
    if (index === undefined) return invalid(`unexpected form field ${file.key}`);
    const entry = (listed as Array<{ id?: unknown; filename?: unknown }>).find((a) => String(a.id) === index);
    if (!entry) return invalid(`attachments has no entry with id ${index}`);
    if (entry.filename !== undefined && entry.filename !== file.name)
      return invalid(`attachment ${index} is named ${String(entry.filename)}, the file ${file.name}`);
  }
  return undefined;
}

/** JSON bodies, and multipart ones (`payload_json` plus files) as @discordjs/rest sends uploads. */
async function parseBody(
  contentType: string,
  raw: Buffer,
): Promise<{ body: Record<string, unknown> | undefined; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    let body: Record<string, unknown> | undefined;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json') body = JSON.parse(String(value)) as Record<string, unknown>;
      else if (typeof value !== 'string') {
        const bytes = Buffer.from(await value.arrayBuffer());
        files.push({ key, name: value.name, contentType: value.type, text: bytes.toString('utf8'), bytes });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
}

/** An Ed25519 key pair like a Discord application's; `publicKeyHex` is what DISCORD_PUBLIC_KEY holds. */
export function discordKeyPair(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { publicKeyHex: der.subarray(der.length - 32).toString('hex'), privateKey };
}

/** Posts an interaction the way Discord does: signed over `timestamp + body`. */
export async function sendInteraction(
  endpoint: string,
  privateKey: KeyObject,
  interaction: unknown,
  options: { timestamp?: string; tamper?: boolean } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify(interaction);
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature-ed25519': signature,
      'x-signature-timestamp': timestamp,
      'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
    },
    body: options.tamper ? body.replace('}', ',"x":1}') : body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
