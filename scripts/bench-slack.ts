/**
 * 500 signed `/autonoma build` commands over loopback against the real Bolt receiver on our HTTP
 * server (real GenerationService: Postgres insert + BullMQ add after each ack; a local Slack Web API
 * stand-in), beside a bare express route on the same server, in the same run.
 * Target: ack p99 ≤ 20 ms and within 2× the bare route.
 */
import http from 'node:http';
import express from 'express';
import {
  postSigned,
  SIGNING_SECRET,
  slashCommandBody,
  startSlackStack,
} from '../tests/helpers/slack-stand-in.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const WARMUP = 50;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

interface Row {
  route: string;
  concurrency: number;
  n: number;
  p50: number;
  p99: number;
  max: number;
  rps: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(
  route: string,
  concurrency: number,
  send: (i: number) => Promise<{ status: number; ms: number }>,
): Promise<Row> {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < COUNT) {
        const i = next++;
        const res = await send(i);
        if (res.status !== 200) throw new Error(`${route}: HTTP ${res.status}`);
        latencies.push(res.ms);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    route,
    concurrency,
    n: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    rps: latencies.length / seconds,
  };
}

export async function run(): Promise<void> {
  const stack = await startSlackStack({
    mountExtra: (app) =>
      app.post('/bench/bare', express.urlencoded({ extended: false }), (_req, res) => {
        res.json({ response_type: 'ephemeral', text: 'On it' });
      }),
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const bareUrl = `${stack.serverUrl}/bench/bare`;
  let batch = 0;
  const slack = (i: number) =>
    postSigned(
      stack.eventsUrl,
      slashCommandBody({
        text: `build a recipe app where users rate dishes ${i}`,
        triggerId: `${stack.prefix}-${batch}-${i}`,
        channelId: 'CBENCH',
      }),
      { secret: SIGNING_SECRET, agent },
    );
  const bare = (i: number) =>
    postSigned(bareUrl, slashCommandBody({ text: `build ${i}`, triggerId: `bare-${i}` }), {
      secret: SIGNING_SECRET,
      agent,
    });
  try {
    // Warm up both paths (JIT, connections, Postgres pool, auth cache).
    for (let i = 0; i < WARMUP; i += 1) {
      await bare(i);
      await slack(100_000 + i);
    }
    const rows: Row[] = [];
    for (const concurrency of [1, CONCURRENCY]) {
      batch += 1;
      rows.push(await measure('bare express', concurrency, bare));
      rows.push(await measure('slack /autonoma build', concurrency, slack));
      // Let the previous batch's posts and inserts drain before the next measurement.
      await waitForJobs(stack.prisma, `slack:cmd:${stack.prefix}-${batch}-`, COUNT);
    }
    printTable(rows);
    const jobs = await stack.prisma.generationRequest.count({
      where: { idempotencyKey: { startsWith: `slack:cmd:${stack.prefix}-` } },
    });
    console.log(`jobs stored: ${jobs} (expected ${WARMUP + 2 * COUNT})`);
    for (const concurrency of [1, CONCURRENCY]) {
      const b = rows.find((r) => r.route === 'bare express' && r.concurrency === concurrency)!;
      const s = rows.find((r) => r.route !== 'bare express' && r.concurrency === concurrency)!;
      const ok = s.p99 <= 20 && s.p99 <= 2 * b.p99;
      console.log(
        `concurrency ${concurrency}: slack p99 ${s.p99.toFixed(2)} ms vs bare ${b.p99.toFixed(2)} ms ` +
          `(${(s.p99 / b.p99).toFixed(2)}×) — target p99 ≤ 20 ms and ≤ 2× bare: ${ok ? 'MET' : 'MISSED'}`,
      );
    }
  } finally {
    agent.destroy();
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
  const header = ['route', 'conc.', 'n', 'p50 ms', 'p99 ms', 'max ms', 'req/s'];
  const body = rows.map((r) => [
    r.route,
    String(r.concurrency),
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
