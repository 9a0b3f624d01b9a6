import type { Express } from 'express';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createHttpApp, createMetrics, startHttpServer } from '../../src/adapters/http/index.js';
import {
  createSlackAdapter,
  createSlackInboxHandlers,
  type SlackAdapter,
} from '../../src/adapters/slack/index.js';
import { withSlackScreenshots } from '../../src/adapters/slack/screenshot-upload.js';
import type { ReadScreenshots } from '../../src/core/ports/screenshots.js';
import { createInboxProducer, startInboxWorker } from '../../src/jobs/inbox-queue.js';
import type { Logger } from '../../src/core/logger.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import type { GenerationService } from '../../src/core/ports/generation-service.js';
import type { Inbox } from '../../src/core/ports/inbox.js';
import type { JobStore } from '../../src/core/ports/job-store.js';
import { createPrismaClient, type PrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationProducer } from '../../src/jobs/generation-queue.js';
import { createGenerationService } from '../../src/jobs/generation-service.js';
import { createPrismaQuotaStore } from '../../src/jobs/quotas/index.js';
import { startTestWorker } from './test-worker.js';
import { attachSocketModeStandIn, type SocketModeStandIn } from './slack-socket-stand-in.js';
import { createProgressFanOut, type ProgressFanOut } from '../../src/jobs/progress-fan-out.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { createRedisStateStore } from '../../src/jobs/redis-state-store.js';
import {
  ensureTestDatabase,
  memoryLogger,
  testConfig,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  uniquePrefix,
} from './test-env.js';

/**
 * A local Slack: the Web API methods Autonoma calls (at `apiUrl`, for SLACK_API_URL) and
 * `response_url` endpoints, recording every call in order; plus helpers to sign and send requests
 * the way Slack does (v0 HMAC of `v0:ts:body` with the signing secret).
 */
export interface RecordedCall {
  /** Web API method (`chat.update`) or `response` for a response_url post. */
  method: string;
  body: Record<string, unknown>;
  at: number;
  /** The `ts` this stand-in answered with (chat.postMessage). */
  ts?: string;
}

/** A file shared through files.completeUploadExternal, with the bytes posted to its upload URL. */
export interface SharedFile {
  id: string;
  filename: string;
  title: string;
  altText?: string;
  bytes: Buffer;
  /** How the bytes arrived at the upload URL: a multipart form, or the raw body. */
  encoding: 'multipart' | 'raw';
  channel: string;
  threadTs?: string;
  initialComment?: string;
}

export interface ScriptedFailure {
  status?: number;
  retryAfterSeconds?: number;
  error?: string;
}

export interface SlackStandIn {
  url: string;
  apiUrl: string;
  responseUrl(id: string): string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Files shared in channels and threads (the upload API's third step), in order. */
  sharedFiles: SharedFile[];
  /** Answers the next call to `method` with this failure (429 with Retry-After, or `ok: false`). */
  failNext(method: string, failure: ScriptedFailure): void;
  waitFor<T>(find: () => T | undefined | false, timeoutMs?: number, what?: string): Promise<T>;
  /** Socket Mode: `apps.connections.open` (with an xapp- token) hands out `socketMode.url`. */
  socketMode: SocketModeStandIn;
  close(): Promise<void>;
}

export const BOT_USER_ID = 'UAUTONOMA';
export const BOT_ID = 'BAUTONOMA';

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The WebClient JSON-encodes object arguments (blocks, attachments) inside form bodies.
    body[key] = /^[[{]/.test(value) ? (JSON.parse(value) as unknown) : value;
  }
  return body;
}

export async function startSlackStandIn(): Promise<SlackStandIn> {
  const calls: RecordedCall[] = [];
  const failures = new Map<string, ScriptedFailure[]>();
  let counter = 0;
  const nextTs = () => {
    counter += 1;
    return `${1_800_000_000 + counter}.${String(counter).padStart(6, '0')}`;
  };

  const files = createFileUploads(() => url);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (url.pathname.startsWith('/upload/v1/')) {
        const fileId = url.pathname.slice('/upload/v1/'.length);
        void files
          .receive(fileId, Buffer.concat(chunks), req.headers['content-type'])
          .then(({ status, text }) => {
            calls.push({ method: 'upload', body: { fileId }, at: Date.now() });
            res.writeHead(status, { 'content-type': 'text/plain' });
            res.end(text);
          });
        return;
      }
      const body = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
      if (url.pathname.startsWith('/response/')) {
        calls.push({
          method: 'response',
          body: { ...body, responseId: url.pathname.slice(10) },
          at: Date.now(),
        });
        return send(200, { ok: true });
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const failure = failures.get(method)?.shift();
      const call: RecordedCall = { method, body, at: Date.now() };
      calls.push(call);
      if (failure) {
        if (failure.status === 429) {
          return send(
            429,
            { ok: false, error: 'ratelimited' },
            { 'retry-after': String(failure.retryAfterSeconds ?? 1) },
          );
        }
        return send(failure.status ?? 200, { ok: false, error: failure.error ?? 'internal_error' });
      }
      switch (method) {
        case 'auth.test':
          return send(200, {
            ok: true,
            url: 'https://acme.slack.com/',
            team: 'Acme',
            user: 'autonoma',
            team_id: 'T1',
            user_id: BOT_USER_ID,
            bot_id: BOT_ID,
          });
        case 'chat.postMessage':
          call.ts = nextTs();
          return send(200, {
            ok: true,
            channel: body.channel,
            ts: call.ts,
            message: { text: body.text, ts: call.ts },
          });
        case 'chat.update':
          return send(200, { ok: true, channel: body.channel, ts: body.ts, text: body.text });
        case 'chat.postEphemeral':
          return send(200, { ok: true, message_ts: nextTs() });
        case 'chat.delete':
          return send(200, { ok: true, channel: body.channel, ts: body.ts });
        case 'files.getUploadURLExternal':
          return send(200, files.start(body));
        case 'files.completeUploadExternal':
          return send(200, files.complete(body));
        case 'files.upload':
          // Retired for new apps (November 2025): the three-step upload above replaces it.
          return send(200, { ok: false, error: 'method_deprecated' });
        case 'apps.connections.open':
          // Only an app-level token opens a socket (invalid_auth also stops the client retrying).
          if (!req.headers.authorization?.startsWith('Bearer xapp-')) {
            return send(200, { ok: false, error: 'invalid_auth' });
          }
          return send(200, { ok: true, url: socketMode.url });
        default:
          return send(200, { ok: false, error: 'unknown_method' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const socketMode = attachSocketModeStandIn(server, url);

  return {
    url,
    apiUrl: `${url}/api/`,
    responseUrl: (id) => `${url}/response/${id}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    sharedFiles: files.shared,
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    async waitFor(find, timeoutMs = 15_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find();
        if (found !== undefined && found !== false) return found;
        if (Date.now() > deadline) throw new Error(`Slack stand-in: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    socketMode,
    close: async () => {
      await socketMode.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** Slack's largest upload (1 GB); the stand-in refuses more, as Slack does. */
const MAX_UPLOAD_BYTES = 1_000_000_000;

/**
 * Slack's external upload flow, checked as Slack checks it: files.getUploadURLExternal needs a
 * filename and the exact length; the upload URL takes the bytes (raw, or as a multipart form's
 * file) once, and answers "OK - <bytes>"; files.completeUploadExternal needs every file uploaded
 * with its announced length, a channel_id when a thread_ts is given, and shares them there.
 */
function createFileUploads(baseUrl: () => string) {
  const pending = new Map<
    string,
    { filename: string; length: number; altText?: string; bytes?: Buffer; encoding?: SharedFile['encoding'] }
  >();
  const shared: SharedFile[] = [];
  let counter = 0;

  return {
    shared,
    start(body: Record<string, unknown>) {
      const filename = body.filename;
      const length = Number(body.length);
      if (typeof filename !== 'string' || filename.trim() === '')
        return { ok: false, error: 'invalid_arguments' };
      if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
      if (length > MAX_UPLOAD_BYTES) return { ok: false, error: 'file_too_large' };
      counter += 1;
      const id = `F${String(counter).padStart(9, '0')}`;
      pending.set(id, {
        filename,
        length,
        ...(typeof body.alt_text === 'string' ? { altText: body.alt_text } : {}),
      });
      return { ok: true, upload_url: `${baseUrl()}/upload/v1/${id}`, file_id: id };
    },
    async receive(id: string, raw: Buffer, contentType: string | undefined) {
      const upload = pending.get(id);
      if (!upload || upload.bytes) return { status: 404, text: 'Not Found' };
      let bytes = raw;
      let encoding: SharedFile['encoding'] = 'raw';
      if (contentType?.startsWith('multipart/form-data')) {
        const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
        const file = [...form.values()].find((value): value is File => typeof value !== 'string');
        if (!file) return { status: 400, text: 'no file in the form' };
        bytes = Buffer.from(await file.arrayBuffer());
        encoding = 'multipart';
      }
      upload.bytes = bytes;
      upload.encoding = encoding;
      return { status: 200, text: `OK - ${bytes.length}` };
    },
    complete(body: Record<string, unknown>) {
      const files = body.files;
      if (!Array.isArray(files) || files.length === 0) return { ok: false, error: 'invalid_arguments' };
      const channel = body.channel_id;
      const threadTs = body.thread_ts;
      if (threadTs !== undefined && typeof channel !== 'string')
        return { ok: false, error: 'invalid_arguments' };
      const entries = files as Array<{ id?: unknown; title?: unknown }>;
      for (const entry of entries) {
        const upload = typeof entry.id === 'string' ? pending.get(entry.id) : undefined;
        if (!upload?.bytes) return { ok: false, error: 'file_not_found' };
        if (upload.bytes.length !== upload.length) return { ok: false, error: 'file_upload_size_mismatch' };
      }
      const done = entries.map((entry) => {
        const id = entry.id as string;
        const upload = pending.get(id)!;
        pending.delete(id);
        const title = typeof entry.title === 'string' ? entry.title : upload.filename;
        if (typeof channel === 'string') {
          shared.push({
            id,
            filename: upload.filename,
            title,
            ...(upload.altText !== undefined ? { altText: upload.altText } : {}),
            bytes: upload.bytes!,
            encoding: upload.encoding!,
            channel,
            ...(typeof threadTs === 'string' ? { threadTs } : {}),
            ...(typeof body.initial_comment === 'string' ? { initialComment: body.initial_comment } : {}),
          });
        }
        return { id, title, name: upload.filename, size: upload.length, mimetype: 'image/png' };
      });
      return { ok: true, files: done };
    },
  };
}

/** Slack's request signature: `v0=` + HMAC-SHA256(secret, `v0:${ts}:${body}`). */
export function signSlackRequest(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}

export interface SlashCommandFields {
  text: string;
  triggerId: string;
  teamId?: string;
  channelId?: string;
  userId?: string;
  responseUrl?: string;
  command?: string;
}

export function slashCommandBody(f: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: f.teamId ?? 'T1',
    team_domain: 'acme',
    channel_id: f.channelId ?? 'C1',
    channel_name: 'general',
    user_id: f.userId ?? 'U1',
    user_name: 'ada',
    command: f.command ?? '/autonoma',
    text: f.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: f.responseUrl ?? 'http://127.0.0.1:9/unused',
    trigger_id: f.triggerId,
  }).toString();
}

/** An Events API delivery (`event_callback`) as Slack wraps it. */
export function eventBody(event: Record<string, unknown>, eventId: string, teamId = 'T1'): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: 'A1',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
  });
}

export interface ButtonClick {
  actionId: string;
  value?: string;
  messageTs: string;
  channelId?: string;
  teamId?: string;
  userId?: string;
  triggerId: string;
  responseUrl: string;
}

/** A `block_actions` interactivity payload (form-encoded `payload=<json>`). */
export function buttonClickBody(c: ButtonClick): string {
  const payload = {
    type: 'block_actions',
    team: { id: c.teamId ?? 'T1', domain: 'acme' },
    user: { id: c.userId ?? 'U1', username: 'ada', team_id: c.teamId ?? 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: c.messageTs,
      channel_id: c.channelId ?? 'C1',
      is_ephemeral: false,
    },
    trigger_id: c.triggerId,
    channel: { id: c.channelId ?? 'C1', name: 'general' },
    message: { type: 'message', ts: c.messageTs, text: 'status', user: BOT_USER_ID, bot_id: BOT_ID },
    response_url: c.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: c.actionId,
        block_id: 'autonoma_job',
        text: { type: 'plain_text', text: 'button' },
        value: c.value ?? '',
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SignedPost {
  status: number;
  body: string;
  ms: number;
}

/** POSTs a body to Autonoma as Slack would, signed with `secret` (or not, if `signature` overrides). */
export async function postSigned(
  url: string,
  body: string,
  options: {
    secret: string;
    json?: boolean;
    timestamp?: number;
    headers?: Record<string, string>;
    agent?: http.Agent;
  },
): Promise<SignedPost> {
  const started = process.hrtime.bigint();
  const headers = {
    'content-type': options.json ? 'application/json' : 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    ...signSlackRequest(options.secret, body, options.timestamp),
    ...options.headers,
  };
  return new Promise<SignedPost>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/* ------------------------------------------------------------------------------------------------
 * The whole stack the Slack tests and benchmark drive: a real GenerationService over Postgres and a
 * BullMQ queue under a random prefix, optionally a worker with a given runner (progress through the
 * real reporter and fan-out), and the adapter's routes on the real HTTP app.
 * ---------------------------------------------------------------------------------------------- */

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Polls for the request a delivery stored: the worker tier stores it after the ack. */
export async function storedRequest(prisma: PrismaClient, idempotencyKey: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await prisma.generationRequest.findUnique({ where: { idempotencyKey } });
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no request stored for ${idempotencyKey}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface SlackStack {
  prefix: string;
  /** POST target for events, commands and interactivity. */
  eventsUrl: string;
  standIn: SlackStandIn;
  service: GenerationService;
  store: JobStore;
  prisma: PrismaClient;
  adapter: SlackAdapter;
  fanOut: ProgressFanOut;
  logger: Logger;
  /** Extra routes on the same server (the benchmark's bare route). */
  serverUrl: string;
  /**
   * Stops the web tier (server, adapter, fan-out) as `autonoma serve` stops, and starts a new one
   * with nothing in memory; `eventsUrl`, `serverUrl`, `adapter` and `fanOut` then name the new one.
   */
  restartWebTier(): Promise<void>;
  close(): Promise<void>;
}

export async function startSlackStack(
  options: {
    runner?: GenerationRunner;
    env?: Record<string, string>;
    minUpdateIntervalMs?: number;
    mountExtra?: (app: Express) => void;
    logLevel?: string;
    /**
     * Handle the inbox (thread roots, job submission) in this process, as the worker tier would.
     * Default true; the benchmark runs it in a child process instead, as deployed.
     */
    inboxWorker?: boolean;
    /** The web tier's inbox, instead of one on the test Redis (e.g. one whose Redis is down). */
    inbox?: Inbox;
    /** Wraps the service the worker tier submits jobs through (to script its failures). */
    wrapService?: (service: GenerationService) => GenerationService;
    /** Upload finished jobs' screenshots into their threads, read through this (as main.ts wires it). */
    screenshots?: ReadScreenshots;
  } = {},
): Promise<SlackStack> {
  await ensureTestDatabase();
  const prefix = uniquePrefix();
  const standIn = await startSlackStandIn();
  const config = testConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: standIn.apiUrl,
    ...options.env,
  });
  const { logger } = memoryLogger(options.logLevel ?? 'silent');
  const prisma = createPrismaClient(TEST_DATABASE_URL);
  const store = createPrismaJobStore(prisma);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const producer = createGenerationProducer({ connection: redis, prefix, attempts: 1, backoffMs: 100 });
  const bus = createRedisProgressBus({ publisher: redis, namespace: prefix });
  // Quotas as main.ts wires them (testConfig leaves them unlimited unless a test sets them).
  const quotas = createPrismaQuotaStore(prisma, { limits: config.quotas, logger });
  const service = createGenerationService({ store, producer, bus, redis, namespace: prefix, quotas });
  const inbox = createInboxProducer({ connection: redis, prefix, attempts: 3, backoffMs: 100 });
  const state = createRedisStateStore({ client: redis, prefix });
  const inboxWorker =
    options.inboxWorker === false
      ? undefined
      : startInboxWorker({
          connection: redis,
          prefix,
          logger,
          handlers: createSlackInboxHandlers({
            config: config.slack,
            service: options.wrapService ? options.wrapService(service) : service,
            state,
            logger,
          }),
        });

  let stopWorker = async () => undefined as void;
  if (options.runner) {
    const worker = await startTestWorker({
      store,
      bus,
      redis,
      namespace: prefix,
      runner: options.runner,
      logger,
      concurrency: 4,
    });
    stopWorker = () => worker.close();
  }

  // The web tier (`autonoma serve`): the adapter, the progress fan-out and the HTTP server. Only
  // it restarts in restartWebTier(); the worker tier, queues and stores carry on.
  const startWebTier = async () => {
    const slack = createSlackAdapter({
      config: config.slack,
      service,
      inbox: options.inbox ?? inbox,
      state,
      logger,
      ...(options.minUpdateIntervalMs !== undefined
        ? { minUpdateIntervalMs: options.minUpdateIntervalMs }
        : {}),
    });
    const adapter = options.screenshots
      ? withSlackScreenshots(slack, { client: slack.app.client, state, read: options.screenshots, logger })
      : slack;
    const fanOut = createProgressFanOut({
      bus,
      store,
      state,
      adapters: [adapter],
      logger,
    });
    await fanOut.start();
    await adapter.start?.();
    const app = createHttpApp({
      logger,
      bodyLimit: config.http.bodyLimit,
      metrics: createMetrics({ logger }),
      readiness: {},
      mount: (express) => {
        for (const route of adapter.routes ?? []) express.use(route.path, route.handler);
        options.mountExtra?.(express);
      },
    });
    const server = await startHttpServer(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 });
    return {
      adapter,
      fanOut,
      server,
      // As `autonoma serve` stops: requests, then progress events, then the adapter's own flush.
      async stop() {
        await server.close();
        await fanOut.stop();
        await adapter.stop?.();
      },
    };
  };
  let web = await startWebTier();

  const stack: SlackStack = {
    prefix,
    eventsUrl: `${web.server.url}/slack/events`,
    serverUrl: web.server.url,
    standIn,
    service,
    store,
    prisma,
    adapter: web.adapter,
    fanOut: web.fanOut,
    logger,
    async restartWebTier() {
      await web.stop();
      web = await startWebTier();
      Object.assign(stack, {
        eventsUrl: `${web.server.url}/slack/events`,
        serverUrl: web.server.url,
        adapter: web.adapter,
        fanOut: web.fanOut,
      });
    },
    async close() {
      await web.server.close();
      await inboxWorker?.close();
      await stopWorker();
      await web.fanOut.stop();
      await web.adapter.stop?.();
      await bus.close();
      await producer.queue.obliterate({ force: true });
      await producer.close();
      await inbox.queue.obliterate({ force: true });
      await inbox.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await prisma.$disconnect();
      await standIn.close();
    },
  };
  return stack;
}
