/**
 * 500 signed `/autonoma build` commands over loopback against the real Bolt receiver on our HTTP
 * server, beside a bare express route on the same server, in the same run. Deployed as in
 * docker-compose: this process is the web tier (signature check, Bolt, one inbox write, the ack);
 * a child process is the worker tier (`startChatInbox`, as `autonoma worker` runs it: posts each
 * thread root, stores the request in Postgres, queues the job), with the Slack Web API stand-in.
 * Target: ack p99 ≤ 20 ms and within 2× the bare route. Three loads: one client back to back, 16
 * clients back to back, and an open loop at BENCH_RATE commands per second. Every build is checked
 * to have become one stored job and one thread before the next load starts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import express from 'express';
import {
  signSlackRequest,
  SIGNING_SECRET,
  slashCommandBody,
  startSlackStack,
} from '../tests/helpers/slack-stand-in.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../tests/helpers/test-env.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const WARMUP = 50;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Requests per second of the open-loop run (Slack delivers at its users' pace, not back to back). */
const RATE = Number(process.env.BENCH_RATE ?? 50);

interface Row {
  route: string;
  load: string;
  n: number;
  p50: number;
  p99: number;
  max: number;
  rps: number;
}

interface Prepared {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/*
 * The load generator runs in its own thread (as Slack is another machine): its timings do not wait
 * for the server's event loop, only for the server's answer. Plain JS, evaluated in the worker.
 */
const LOAD_GENERATOR = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { requests, concurrency, rate } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: rate > 0 ? 64 : concurrency });
function send(r) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(r.url, { method: 'POST', headers: r.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}
(async () => {
  const latencies = [];
  let next = 0;
  let failed = 0;
  const started = process.hrtime.bigint();
  if (rate > 0) {
    // Open loop: request i leaves at i / rate seconds, whether or not earlier ones were answered.
    await Promise.all(requests.map((r, i) => new Promise((resolve) => setTimeout(resolve, (i * 1000) / rate))
      .then(() => send(r))
      .then((res) => { if (res.status !== 200) failed += 1; latencies.push(res.ms); })));
  } else {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const res = await send(requests[next++]);
        if (res.status !== 200) failed += 1;
        latencies.push(res.ms);
      }
    }));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  parentPort.postMessage({ latencies, seconds, failed });
})().catch((error) => { throw error; });
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** `load`: a number of clients each sending back to back, or `{ rate }` requests per second. */
async function measure(route: string, load: number | { rate: number }, requests: Prepared[]): Promise<Row> {
  const concurrency = typeof load === 'number' ? load : 0;
  const rate = typeof load === 'number' ? 0 : load.rate;
  const worker = new Worker(LOAD_GENERATOR, { eval: true, workerData: { requests, concurrency, rate } });
  const { latencies, seconds, failed } = await new Promise<{
    latencies: number[];
    seconds: number;
    failed: number;
  }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (failed > 0) throw new Error(`${route}: ${failed} requests were not answered with 200`);
  latencies.sort((a, b) => a - b);
  return {
    route,
    load: rate > 0 ? `${rate}/s paced` : `${concurrency} client${concurrency === 1 ? '' : 's'}`,
    n: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    rps: latencies.length / seconds,
  };
}

function prepare(url: string, body: string, json = false): Prepared {
  return {
    url,
    body,
    headers: {
      'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      ...signSlackRequest(SIGNING_SECRET, body),
    },
  };
}

/** The worker tier in its own process (bench-slack-worker-tier.ts), on the stack's queues. */
async function startWorkerTier(prefix: string): Promise<{ roots(): Promise<number>; stop(): Promise<void> }> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'bench-slack-worker-tier.ts'), {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      AUTONOMA_QUEUE_PREFIX: prefix,
      SLACK_BOT_TOKEN: 'xoxb-bench-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      LOG_LEVEL: 'warn',
    },
  });
  const next = async (type: string) => {
    for (;;) {
      const [message] = (await once(child, 'message')) as [{ type: string; roots?: number }];
      if (message.type === type) return message;
    }
  };
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the worker tier exited early (code ${String(code)})`);
  });
  exited.catch(() => undefined);
  await Promise.race([next('ready'), exited]);
  return {
    async roots() {
      child.send({ type: 'roots' });
      return (await Promise.race([next('roots'), exited])).roots ?? 0;
    },
    async stop() {
      child.send({ type: 'stop' });
      await once(child, 'exit');
    },
  };
}

export async function run(): Promise<void> {
  const stack = await startSlackStack({
    inboxWorker: false,
    mountExtra: (app) =>
      app.post('/bench/bare', express.urlencoded({ extended: false }), (_req, res) => {
        res.json({ response_type: 'ephemeral', text: 'On it' });
      }),
  });
  const workerTier = await startWorkerTier(stack.prefix);
  const bareUrl = `${stack.serverUrl}/bench/bare`;
  const commands = (batch: string, count: number) =>
    Array.from({ length: count }, (_, i) =>
      prepare(
        stack.eventsUrl,
        slashCommandBody({
          text: `build a recipe app where users rate dishes ${i}`,
          triggerId: `${stack.prefix}-${batch}-${i}`,
          channelId: 'CBENCH',
        }),
      ),
    );
  const bare = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      prepare(bareUrl, slashCommandBody({ text: `build ${i}`, triggerId: `bare-${i}` })),
    );
  try {
    // Warm up both paths (JIT, connections, Postgres pool, the cached auth.test).
    await measure('warm-up', 1, bare(WARMUP));
    await measure('warm-up', 1, commands('warmup', WARMUP));
    await waitForJobs(stack.prisma, `slack:cmd:${stack.prefix}-warmup-`, WARMUP);
    const rows: Row[] = [];
    const loads: Array<number | { rate: number }> = [1, CONCURRENCY, { rate: RATE }];
    for (const [i, load] of loads.entries()) {
      const batch = `run${i}`;
      rows.push(await measure('bare express', load, bare(COUNT)));
      rows.push(await measure('slack /autonoma build', load, commands(batch, COUNT)));
      // Let this batch's posts and inserts drain before the next measurement.
      await waitForJobs(stack.prisma, `slack:cmd:${stack.prefix}-${batch}-`, COUNT);
    }
    printTable(rows);
    const jobs = await stack.prisma.generationRequest.count({
      where: { idempotencyKey: { startsWith: `slack:cmd:${stack.prefix}-` } },
    });
    const roots = await workerTier.roots();
    const expected = WARMUP + loads.length * COUNT;
    console.log(`jobs stored: ${jobs}, thread roots posted: ${roots} (expected ${expected} each)`);
    for (const load of new Set(rows.map((r) => r.load))) {
      const b = rows.find((r) => r.route === 'bare express' && r.load === load)!;
      const s = rows.find((r) => r.route !== 'bare express' && r.load === load)!;
      const ok = s.p99 <= 20 && s.p99 <= 2 * b.p99;
      console.log(
        `${load}: slack p99 ${s.p99.toFixed(2)} ms vs bare ${b.p99.toFixed(2)} ms ` +
          `(${(s.p99 / b.p99).toFixed(2)}×) — target p99 ≤ 20 ms and ≤ 2× bare: ${ok ? 'met' : 'MISSED'}`,
      );
    }
  } finally {
    await workerTier.stop();
    await stack.close();
  }
}

async function waitForJobs(
  prisma: Awaited<ReturnType<typeof startSlackStack>>['prisma'],
  prefix: string,
  expected: number,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const count = await prisma.generationRequest.count({ where: { idempotencyKey: { startsWith: prefix } } });
    if (count >= expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`only some of ${expected} jobs were stored under ${prefix}`);
}

function printTable(rows: Row[]): void {
  const header = ['route', 'load', 'n', 'p50 ms', 'p99 ms', 'max ms', 'req/s'];
  const body = rows.map((r) => [
    r.route,
    r.load,
    String(r.n),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.max.toFixed(2),
    r.rps.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}
