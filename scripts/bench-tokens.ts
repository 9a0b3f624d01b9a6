/**
 * Tokens and wall time per build for the scripted realistic model (tests/helpers/realistic-model.ts):
 * the whole agent team in process, the real MCP tools, the real OpenAI and Anthropic clients talking to
 * the loopback model stand-in (which charges characters / 4 of each request body as it arrives on the
 * wire), validation in the bubblewrap sandbox, repairs included. The model is deterministic, so the
 * token figures repeat exactly run to run; they are printed beside the figures of the code before
 * issue #15's token work (BASELINE: this script run at the commit it names).
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { checkSyntax, createWorkspaceTools } from '../src/agents/mcp/index.js';
import { createAgentPipeline } from '../src/agents/pipeline/app-pipeline.js';
import { createAnthropicProvider } from '../src/agents/providers/anthropic-provider.js';
import { createPriceBook } from '../src/agents/providers/model-prices.js';
import { createOpenAIProvider } from '../src/agents/providers/openai-provider.js';
import { createBwrapSandbox } from '../src/agents/sandbox/bwrap-sandbox.js';
import { validateApp } from '../src/agents/validation/validate-app.js';
import type { AgentRunSummary } from '../src/core/ports/app-generator.js';
import type { ModelProvider } from '../src/core/ports/model-provider.js';
import { BENCH_LIMITS } from './bench-sandbox.js';
import { startModelStandIn } from '../tests/helpers/model-stand-in.js';
import { buildRequest, recordingContext } from '../tests/helpers/pipeline-fixtures.js';
import { TIC_TAC_TOE } from '../tests/helpers/realistic-game-app.js';
import { BOOKMARKS, type RealisticApp } from '../tests/helpers/realistic-model-app.js';
import { createRealisticModel } from '../tests/helpers/realistic-model.js';
import { loadStarterFiles } from '../src/agents/starter/starter-files.js';

const API_KEY = 'sk-bench-tokens-0123456789';
type Wire = 'openai' | 'anthropic';
const WIRES: readonly Wire[] = ['openai', 'anthropic'];

interface BuildFigures {
  inputTokens: number;
  outputTokens: number;
  agentRuns: number;
  repairRounds: number;
  wallMs: number;
}

/** Figures of the code before the token work, per build (`npm run bench tokens` at that commit). */
const BASELINE: {
  commit: string;
  builds: Record<string, Omit<BuildFigures, 'wallMs'> & { wallMs?: number }>;
} = {
  commit: '1b1623f',
  builds: {
    'bookmarks (openai)': {
      inputTokens: 59_745,
      outputTokens: 9_221,
      agentRuns: 11,
      repairRounds: 2,
      wallMs: 45_900,
    },
    'bookmarks (anthropic)': {
      inputTokens: 59_360,
      outputTokens: 9_002,
      agentRuns: 11,
      repairRounds: 2,
      wallMs: 33_600,
    },
  },
};

const BUILDS: Record<string, { prompt: string; app: RealisticApp }> = {
  bookmarks: {
    prompt: 'a bookmarks app: save links with a title, notes and tags, search them and filter by tag',
    app: BOOKMARKS,
  },
  'tic-tac-toe': { prompt: 'tic tac toe for two players on the same screen', app: TIC_TAC_TOE },
};

function hostedProvider(wire: Wire, baseURL: string): ModelProvider {
  const options = { apiKey: API_KEY, defaultModel: 'bench-model', prices: createPriceBook(), maxRetries: 0 };
  return wire === 'openai'
    ? createOpenAIProvider({ ...options, baseURL })
    : createAnthropicProvider({ ...options, baseURL });
}

async function buildOnce(
  root: string,
  name: string,
  wire: Wire,
): Promise<BuildFigures & { byAgent: Map<string, AgentRunSummary[]> }> {
  const model = createRealisticModel({ fixesMistakes: true, app: BUILDS[name]!.app });
  const standIn = await startModelStandIn({ apiKey: API_KEY, provider: model.provider });
  const workspaceDir = await mkdtemp(path.join(root, `${name}-`));
  const sandbox = createBwrapSandbox({ limits: BENCH_LIMITS });
  const context = recordingContext();
  const started = performance.now();
  const output = await createAgentPipeline({
    provider: hostedProvider(wire, wire === 'openai' ? standIn.openaiBaseUrl : standIn.anthropicBaseUrl),
    connectTools: (dir) => createWorkspaceTools(dir),
    checkSyntax: (dir) => checkSyntax(dir),
    validateApp: (options) => validateApp({ ...options, sandbox }),
    cacheDir: path.join(root, 'deps'),
    scratchDir: path.join(root, 'scratch'),
    validationTimeoutMs: 300_000,
    repairRounds: 3,
    starter: (slug) => loadStarterFiles(slug),
  })
    .generate({
      request: buildRequest(BUILDS[name]!.prompt),
      workspaceDir,
      signal: new AbortController().signal,
      progress: context.progress,
      recorder: context.recorder,
    })
    .finally(() => standIn.close());
  const wallMs = performance.now() - started;
  if (!output.validation.ok)
    throw new Error(`${name}: validation failed: ${JSON.stringify(output.validation)}`);
  const byAgent = new Map<string, AgentRunSummary[]>();
  for (const run of output.agentRuns) byAgent.set(run.agent, [...(byAgent.get(run.agent) ?? []), run]);
  return {
    inputTokens: output.agentRuns.reduce((sum, r) => sum + r.tokensIn, 0),
    outputTokens: output.agentRuns.reduce((sum, r) => sum + r.tokensOut, 0),
    agentRuns: output.agentRuns.length,
    repairRounds: output.validation.repairRounds,
    wallMs,
    byAgent,
  };
}

const thousands = (n: number) => n.toLocaleString('en-US');
const change = (now: number, before: number | undefined) =>
  before ? `${((now / before - 1) * 100).toFixed(0)} %` : '—';

export async function run(): Promise<void> {
  const root = path.resolve('node_modules/.cache/autonoma-bench-tokens');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  // The sandbox runs each step as an unprivileged uid, which must be able to enter this directory.
  await chmod(root, 0o755);
  try {
    const rows: Array<[string, BuildFigures]> = [];
    for (const name of Object.keys(BUILDS))
      for (const wire of WIRES) {
        const label = `${name} (${wire})`;
        console.log(`building ${label} with the realistic scripted model…`);
        const figures = await buildOnce(root, name, wire);
        rows.push([label, figures]);
        console.log(`\n| ${label}: agent | runs | input tokens | output tokens |`);
        console.log('| --- | --- | --- | --- |');
        for (const [agent, runs] of figures.byAgent)
          console.log(
            `| ${agent} | ${runs.length} | ${thousands(runs.reduce((s, r) => s + r.tokensIn, 0))} | ${thousands(runs.reduce((s, r) => s + r.tokensOut, 0))} |`,
          );
      }
    console.log(`\nPer build, beside the baseline (commit ${BASELINE.commit}):`);
    console.log(
      '| build | input tokens | before | change | output tokens | before | change | repairs | wall s | before |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, now] of rows) {
      const before = BASELINE.builds[name];
      console.log(
        `| ${name} | ${thousands(now.inputTokens)} | ${before ? thousands(before.inputTokens) : '—'} | ${change(now.inputTokens, before?.inputTokens)} | ` +
          `${thousands(now.outputTokens)} | ${before ? thousands(before.outputTokens) : '—'} | ${change(now.outputTokens, before?.outputTokens)} | ` +
          `${now.repairRounds} | ${(now.wallMs / 1000).toFixed(1)} | ${before?.wallMs ? (before.wallMs / 1000).toFixed(1) : '—'} |`,
      );
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
