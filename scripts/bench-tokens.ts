/**
 * Tokens and wall time per build for the scripted realistic model (tests/helpers/realistic-model.ts):
 * the whole agent team in process, the real MCP tools, validation in the bubblewrap sandbox, repairs
 * included. The model is deterministic and counts tokens as characters / 4 of what it is sent, so the
 * token figures repeat exactly run to run; they are printed beside the figures of the code before
 * issue #15's token work (BASELINE, measured with this script at the commit it names).
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { checkSyntax, createWorkspaceTools } from '../src/agents/mcp/index.js';
import { createAgentPipeline } from '../src/agents/pipeline/app-pipeline.js';
import { createBwrapSandbox } from '../src/agents/sandbox/bwrap-sandbox.js';
import { validateApp } from '../src/agents/validation/validate-app.js';
import type { AgentRunSummary } from '../src/core/ports/app-generator.js';
import type { SandboxLimits } from '../src/core/ports/sandbox.js';
import { buildRequest, recordingContext } from '../tests/helpers/pipeline-fixtures.js';
import { createRealisticModel } from '../tests/helpers/realistic-model.js';

const LIMITS: SandboxLimits = {
  processes: 512,
  openFiles: 4096,
  fileSizeBytes: 2 ** 30,
  diskBytes: 2 * 2 ** 30,
  tmpBytes: 2 ** 30,
  memoryBytes: 4 * 2 ** 30,
};

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
  commit: 'pending',
  builds: {},
};

const BUILDS: Record<string, { prompt: string }> = {
  bookmarks: {
    prompt: 'a bookmarks app: save links with a title, notes and tags, search them and filter by tag',
  },
};

async function buildOnce(
  root: string,
  name: string,
): Promise<BuildFigures & { byAgent: Map<string, AgentRunSummary[]> }> {
  const model = createRealisticModel({ fixesMistakes: true });
  const workspaceDir = await mkdtemp(path.join(root, `${name}-`));
  const sandbox = createBwrapSandbox({ limits: LIMITS });
  const context = recordingContext();
  const started = performance.now();
  const output = await createAgentPipeline({
    provider: model.provider,
    connectTools: (dir) => createWorkspaceTools(dir),
    checkSyntax: (dir) => checkSyntax(dir),
    validateApp: (options) => validateApp({ ...options, sandbox }),
    cacheDir: path.join(root, 'deps'),
    scratchDir: path.join(root, 'scratch'),
    validationTimeoutMs: 300_000,
    repairRounds: 3,
  }).generate({
    request: buildRequest(BUILDS[name]!.prompt),
    workspaceDir,
    signal: new AbortController().signal,
    progress: context.progress,
    recorder: context.recorder,
  });
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
    for (const name of Object.keys(BUILDS)) {
      console.log(`building "${name}" with the realistic scripted model…`);
      const figures = await buildOnce(root, name);
      rows.push([name, figures]);
      console.log(`\n| ${name}: agent | runs | input tokens | output tokens |`);
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
