/**
 * `npm run bench [name…]`: runs the named benchmarks (all by default). Each benchmark is a module
 * exporting `run(): Promise<void>` that prints its own table; add new ones to BENCHMARKS.
 */
const BENCHMARKS: Record<string, { describe: string; load: () => Promise<{ run(): Promise<void> }> }> = {
  slack: {
    describe: 'Slack slash-command ack latency and throughput vs a bare express route',
    load: () => import('./bench-slack.js'),
  },
  sandbox: {
    describe: 'Validation of one generated app in the bubblewrap sandbox vs unsandboxed',
    load: () => import('./bench-sandbox.js'),
  },
  tokens: {
    describe: 'Tokens and wall time per build for the scripted realistic model, beside the baseline',
    load: () => import('./bench-tokens.js'),
  },
};

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = requested.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark(s): ${unknown.join(', ')}. Available: ${Object.keys(BENCHMARKS).join(', ')}.`,
    );
    process.exit(2);
  }
  for (const name of requested.length > 0 ? requested : Object.keys(BENCHMARKS)) {
    const bench = BENCHMARKS[name]!;
    console.log(`\n== ${name}: ${bench.describe}`);
    await (await bench.load()).run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
