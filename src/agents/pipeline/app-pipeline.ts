import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ValidationReport } from '../../core/domain/request.js';
import type { FileMap } from '../../core/domain/files.js';
import type { Spec } from '../../core/domain/spec.js';
import { summarizeSpec } from '../../core/domain/spec-summary.js';
import { InvalidInputError } from '../../core/errors.js';
import type { AppGenerator, GenerateInput, GenerationOutput } from '../../core/ports/app-generator.js';
import type { ModelProvider, ToolDefinition } from '../../core/ports/model-provider.js';
import {
  ArchitectureOutputSchema,
  RequirementsChangeOutputSchema,
  RequirementsOutputSchema,
  ReviewOutputSchema,
  WorkOutputSchema,
  type AgentRole,
  type ArchitectureOutput,
  type WriterRole,
} from './agent-outputs.js';
import { assertNoSecrets } from '../providers/secret-scan.js';
import { agentFor, isWriterRole, memberOfKind, writerGraph } from '../registry.js';
import type { ToolInvoker } from './agent-runner.js';
import { MANIFEST_PATH, readManifest, renderManifest } from './app-manifest.js';
import { runDag, type DagNode } from './dag.js';
import { abortableSleep, runRecordedAgent, type AgentEnvironment } from './recorded-agent.js';
import { validateWithRepairs, type AppValidator, type SyntaxChecker } from './validation-gate.js';
import { readAppFiles, writeAppFiles } from './workspace-files.js';

export interface ToolSession extends ToolInvoker {
  listTools(): Promise<ToolDefinition[]>;
  close(): Promise<void>;
}

export interface AgentPipelineDeps {
  provider: ModelProvider;
  /** MCP tool servers (workspace + code) jailed to the job's workspace. */
  connectTools: (workspaceDir: string) => Promise<ToolSession>;
  checkSyntax: SyntaxChecker;
  validateApp: AppValidator;
  cacheDir: string;
  /** Throw-away copies for validation, on the same filesystem as `cacheDir` (default: beside it). */
  scratchDir?: string;
  validationTimeoutMs: number;
  /** All validation rounds of one job together. */
  validationJobTimeoutMs?: number;
  repairRounds: number;
  maxAgentAttempts?: number;
  /** Configured secrets: a generated file containing one is never published. */
  secrets?: readonly string[];
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A new app's first files (a locked starter): written before the writers run, owned by the architect. */
  starter?: (slug: string) => Promise<FileMap>;
}

const isArchitect = (role: AgentRole) => agentFor(role).kind === 'architect';

function describeSpec(spec: Spec): string {
  return `Spec understood: **${spec.appName}** with ${summarizeSpec(spec)}.`;
}

const OUTLINE_MAX_FILES = 300;

/** The workspace as an agent needs to see it: each file and who wrote it, not its content. */
function workspaceOutline(owners: ReadonlyMap<string, AgentRole>): string[] {
  const entries = [...owners.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const shown = entries.slice(0, OUTLINE_MAX_FILES).map(([file, owner]) => `${file} (${owner})`);
  if (entries.length > shown.length)
    shown.push(`… ${entries.length - shown.length} more: list_files shows them`);
  return shown;
}

/** What the reviewer needs of validation: each step's verdict and time, not its full output. */
function validationForReview(report: ValidationReport): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(report).map(([key, value]) => {
      if (value && typeof value === 'object' && 'ok' in value && 'output' in value) {
        const { output: _output, ...rest } = value as Record<string, unknown>;
        return [key, rest];
      }
      return [key, value];
    }),
  );
}

function ownedBy(owners: ReadonlyMap<string, AgentRole>, role: AgentRole): string[] {
  return [...owners.entries()]
    .filter(([, owner]) => owner === role)
    .map(([p]) => p)
    .sort();
}

/** The agent team as a dependency graph, validated before anything leaves the workspace. */
export function createAgentPipeline(deps: AgentPipelineDeps): AppGenerator {
  return {
    async generate(input: GenerateInput): Promise<GenerationOutput> {
      const { request, signal, workspaceDir } = input;
      const tools = await deps.connectTools(workspaceDir);
      try {
        const env: AgentEnvironment = {
          requestId: request.id,
          provider: deps.provider,
          tools,
          toolDefinitions: await tools.listTools(),
          recorder: input.recorder,
          progress: input.progress,
          runs: [],
          owners: new Map(),
          maxAttempts: deps.maxAgentAttempts ?? 3,
          sleep: deps.sleep ?? abortableSleep,
        };

        const analyst = memberOfKind('analyst');
        const analystCall = { role: analyst.role, stage: analyst.stage, toolNames: analyst.tools };
        let spec: Spec;
        let change: GenerationOutput['change'];
        let previousOwners = new Map<string, AgentRole>();
        if (request.kind === 'iterate') {
          if (!input.baseFiles)
            throw new InvalidInputError('An iteration needs the files of the pull request branch.');
          const manifest = readManifest(input.baseFiles);
          await writeAppFiles(workspaceDir, input.baseFiles);
          previousOwners = new Map(Object.entries(manifest.owners));
          for (const [file, owner] of previousOwners) env.owners.set(file, owner);
          const result = await runRecordedAgent(
            env,
            {
              ...analystCall,
              instruction:
                'Apply the change request to the spec. Report what you applied and what you could not do.',
              input: { mode: 'change', spec: manifest.spec, changeRequest: request.prompt },
              output: RequirementsChangeOutputSchema,
              startMessage: 'Reading the change request',
              doneMessage: (r) => `${r.applied.length} change(s) understood`,
            },
            signal,
          );
          if (result.applied.length === 0) {
            throw new InvalidInputError(
              `I could not turn this request into a change to the app: ${result.unhandled.join('; ') || request.prompt}. ` +
                'Try e.g. "add a priority field to tasks" or "rename title to name on tasks".',
            );
          }
          spec = result.spec;
          change = { applied: result.applied, unhandled: result.unhandled };
        } else {
          spec = await runRecordedAgent(
            env,
            {
              ...analystCall,
              instruction: 'Turn this description of an app into the application spec.',
              input: { prompt: request.prompt },
              output: RequirementsOutputSchema,
              startMessage: 'Reading the request',
              doneMessage: (s) => summarizeSpec(s),
            },
            signal,
          );
          if (deps.starter) {
            const starter = await deps.starter(spec.slug);
            await writeAppFiles(workspaceDir, starter);
            for (const file of starter.keys()) env.owners.set(file, memberOfKind('architect').role);
          }
        }
        await input.progress.milestone(analyst.stage, describeSpec(spec));

        let architecture: ArchitectureOutput | undefined;
        const writerCall = (role: WriterRole, repair?: { step: string; output: string }) => ({
          role,
          stage: agentFor(role).stage,
          instruction: repair
            ? `Validation failed at the ${repair.step} step. Fix the files you own so it passes.`
            : isArchitect(role)
              ? 'Design the app and write the project scaffold.'
              : `Write the ${role} part of the app.`,
          input: {
            spec,
            ...(architecture && !isArchitect(role)
              ? {
                  architecture: {
                    stack: architecture.stack,
                    api: architecture.api,
                    pages: architecture.pages,
                  },
                }
              : {}),
            existingFiles: ownedBy(previousOwners, role),
            workspace: workspaceOutline(env.owners),
            ...(repair ? { repair } : {}),
          },
          toolNames: agentFor(role).tools,
          startMessage: repair ? `Repairing after ${repair.step} failed` : `Writing the ${role} part`,
        });

        const nodes: DagNode<WriterRole>[] = writerGraph().map(({ role, dependsOn }) => ({
          id: role,
          dependsOn,
          run: async (nodeSignal) => {
            if (isArchitect(role)) {
              architecture = await runRecordedAgent(
                env,
                {
                  ...writerCall(role),
                  output: ArchitectureOutputSchema,
                  doneMessage: (a) => `${a.api.length} endpoints, ${a.filePlan.length} files planned`,
                },
                nodeSignal,
              );
            } else {
              await runRecordedAgent(
                env,
                {
                  ...writerCall(role),
                  output: WorkOutputSchema,
                  doneMessage: (w) => `${w.files.length} files written`,
                },
                nodeSignal,
              );
            }
          },
        }));
        await runDag(nodes, signal);

        const { screenshots, ...validation } = await validateWithRepairs({
          workspaceDir,
          cacheDir: deps.cacheDir,
          scratchDir: deps.scratchDir ?? path.join(path.dirname(deps.cacheDir), 'validation'),
          timeoutMs: deps.validationTimeoutMs,
          ...(deps.validationJobTimeoutMs ? { jobTimeoutMs: deps.validationJobTimeoutMs } : {}),
          repairRounds: deps.repairRounds,
          checkSyntax: deps.checkSyntax,
          validateApp: deps.validateApp,
          progress: input.progress,
          owners: env.owners,
          signal,
          spent: () => ({
            usd: env.runs.reduce((sum, r) => sum + r.costUsd, 0),
            tokens: env.runs.reduce((sum, r) => sum + r.tokensIn + r.tokensOut, 0),
          }),
          repair: async (roles, failure, repairSignal) => {
            const writers = roles.filter(isWriterRole);
            await Promise.all(
              writers.map((role) =>
                isArchitect(role)
                  ? runRecordedAgent(
                      env,
                      {
                        ...writerCall(role, failure),
                        output: ArchitectureOutputSchema,
                        doneMessage: () => 'Repaired',
                      },
                      repairSignal,
                    )
                  : runRecordedAgent(
                      env,
                      {
                        ...writerCall(role, failure),
                        output: WorkOutputSchema,
                        doneMessage: () => 'Repaired',
                      },
                      repairSignal,
                    ),
              ),
            );
          },
        });

        const manifestFile = path.join(workspaceDir, MANIFEST_PATH);
        await mkdir(path.dirname(manifestFile), { recursive: true });
        await writeFile(manifestFile, renderManifest(spec, env.owners));
        const files = await readAppFiles(workspaceDir);
        assertNoSecrets(files, deps.secrets ?? []);
        const plan = architecture ?? { api: [], pages: [] };
        const reviewer = memberOfKind('reviewer');
        const review = await runRecordedAgent(
          env,
          {
            role: reviewer.role,
            stage: reviewer.stage,
            instruction: 'Write the review summary for the pull request.',
            input: {
              spec,
              api: plan.api,
              pages: plan.pages,
              files: [...files.keys()],
              validation: validationForReview(validation),
              ...(change ? { change } : {}),
            },
            output: ReviewOutputSchema,
            toolNames: reviewer.tools,
            startMessage: 'Writing the review summary',
            doneMessage: () => 'Review summary ready',
          },
          signal,
        );
        return {
          spec,
          files,
          validation,
          agentRuns: env.runs,
          api: plan.api.map((e) => `${e.method} ${e.path}`),
          pages: plan.pages,
          reviewSummary: review.summary,
          reviewChecklist: review.checklist,
          fileOwners: Object.fromEntries(env.owners),
          ...(change ? { change } : {}),
          ...(screenshots && screenshots.length > 0 ? { screenshots } : {}),
        };
      } finally {
        await tools.close();
      }
    },
  };
}
