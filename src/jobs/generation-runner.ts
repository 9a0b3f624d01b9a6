import path from 'node:path';
import { rm, mkdir } from 'node:fs/promises';
import { sha256, type FileMap } from '../core/domain/files.js';
import type { GenerationRequest, JobResult } from '../core/domain/request.js';
import { summarizeSpec } from '../core/domain/spec-summary.js';
import { threadLink } from '../core/domain/thread-link.js';
import { InvalidInputError, throwIfAborted } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { renderPullRequestBody, type PullRequestBodyInput } from '../core/pull-request-body.js';
import type { AppGenerator, GenerationOutput } from '../core/ports/app-generator.js';
import { SCREENSHOTS_DIR, type Forge, type RepositoryRef } from '../core/ports/forge.js';
import type { GenerationRunner, RunContext } from '../core/ports/generation-runner.js';
import type { ProgressReporter } from '../core/ports/progress-reporter.js';
import type { Link } from '../core/domain/progress.js';
import type { JobStore } from '../core/ports/job-store.js';
import { mapStrings } from '../core/secrets/secret-redactor.js';
import { initialFiles, type LicenseChoice } from './initial-files.js';
import { screenshotRows, withScreenshots } from './screenshot-files.js';

export interface GenerationRunnerDeps {
  generator: AppGenerator;
  forge: Forge;
  store: JobStore;
  workspaceRoot: string;
  license: LicenseChoice;
  privateRepos: boolean;
  logger: Logger;
  /** The job page's signed link (core/job-links.ts), shown in the thread and the pull request. */
  jobPageUrl?: (requestId: string) => string;
  /** Secret redaction for what the forge publishes (pull request body and title, commit message). */
  redact?: (text: string) => string;
  now?: () => Date;
}

export const PULL_REQUEST_LABELS = ['autonoma', 'generated'];

function branchFor(slug: string): string {
  return `autonoma/${slug}`;
}

/** Input and output tokens per agent role, every run of it (repairs included) added up. */
function agentTokens(output: GenerationOutput): Record<string, { input: number; output: number }> {
  const byAgent: Record<string, { input: number; output: number }> = {};
  for (const run of output.agentRuns) {
    const total = (byAgent[run.agent] ??= { input: 0, output: 0 });
    total.input += run.tokensIn;
    total.output += run.tokensOut;
  }
  return byAgent;
}

function timings(output: GenerationOutput): Record<string, number> {
  return Object.fromEntries(output.agentRuns.map((r) => [r.agent, r.durationMs]));
}

/**
 * One job end to end: the agent team generates and validates the app in a workspace, then the forge
 * receives it as a repository, a branch with one commit, and a pull request. Every forge write is an
 * idempotent ensure, so a retried job converges on the same repository, branch and pull request.
 */
/** A web URL as it is; a path (local forge: relative to where its repositories live) made absolute. */
function openableUrl(repo: RepositoryRef, url: string): string {
  return /^https?:\/\//.test(url) ? url : path.resolve(path.dirname(repo.location), url);
}

/**
 * The reporter the agents use, with the job page linked on the first milestone: every chat thread
 * and issue shows the link early, without any adapter knowing about it.
 */
function withJobPageLink(progress: ProgressReporter, link: Link | undefined): ProgressReporter {
  if (!link) return progress;
  let linked = false;
  return {
    stage: (stage, state, message) => progress.stage(stage, state, message),
    addCost: (usd) => progress.addCost(usd),
    milestone(stage, message, links = []) {
      const first = !linked;
      linked = true;
      const add = first && !links.some((l) => l.url === link.url);
      return progress.milestone(stage, message, add ? [...links, link] : links);
    },
  };
}

export function createGenerationRunner(deps: GenerationRunnerDeps): GenerationRunner {
  const now = deps.now ?? (() => new Date());
  const redact = deps.redact ?? ((text: string) => text);

  async function iterationBase(
    request: GenerationRequest,
  ): Promise<{ repo: RepositoryRef; files: FileMap; branch: string }> {
    const target = request.target;
    if (!target) throw new InvalidInputError('An iteration must name the pull request to change.');
    const record = await deps.store.findPullRequest(target.forge, target.repo, target.branch);
    if (!record)
      throw new InvalidInputError(`No Autonoma pull request is known for ${target.repo} (${target.branch}).`);
    const repo: RepositoryRef = {
      forge: record.forge,
      fullName: record.repo,
      location: record.repoUrl,
      defaultBranch: record.baseBranch,
    };
    const files = await deps.forge.readBranch(repo, target.branch);
    if (!files)
      throw new InvalidInputError(`The branch ${target.branch} no longer exists in ${target.repo}.`);
    return { repo, files, branch: target.branch };
  }

  return {
    async run(request: GenerationRequest, context: RunContext): Promise<JobResult> {
      const jobPage = deps.jobPageUrl?.(request.id);
      const jobPageLink = jobPage ? { label: 'Job page', url: jobPage } : undefined;
      const progress = withJobPageLink(context.progress, jobPageLink);
      const { signal } = context;
      const workspaceDir = path.join(deps.workspaceRoot, request.id);
      await rm(workspaceDir, { recursive: true, force: true });
      await mkdir(workspaceDir, { recursive: true });
      const base = request.kind === 'iterate' ? await iterationBase(request) : undefined;
      try {
        const output = await deps.generator.generate({
          request,
          workspaceDir,
          ...(base ? { baseFiles: base.files } : {}),
          signal,
          progress,
          recorder: deps.store,
        });
        await deps.store.recordComponents(
          request.id,
          [...output.files].map(([file, content]) => ({
            path: file,
            contentHash: sha256(content),
            bytes: Buffer.byteLength(content),
            agent: output.fileOwners[file] ?? 'pipeline',
          })),
        );
        throwIfAborted(signal);

        await progress.stage('publish', 'started', `Publishing to the ${deps.forge.name} forge`);
        const spec = output.spec;
        const repo =
          base?.repo ??
          (
            await deps.forge.ensureRepository({
              name: spec.slug,
              description: spec.description,
              topics: ['autonoma', 'generated-app', spec.archetype],
              private: deps.privateRepos,
              requestId: request.id,
            })
          ).repo;
        const initial = initialFiles(spec, deps.license, now().getUTCFullYear());
        if (!base) await deps.forge.ensureInitialCommit(repo, initial);
        // The branch tree is complete (absent files are deleted): keep main's LICENSE on the branch.
        const shots = output.screenshots ?? [];
        const files = withScreenshots(base ? output.files : new Map([...initial, ...output.files]), shots);
        const branch = base?.branch ?? branchFor(spec.slug);
        const message = redact(
          output.change
            ? `Autonoma: ${output.change.applied.join('; ')}`.slice(0, 200)
            : `Add ${spec.appName}, generated by Autonoma`,
        );
        const commit = await deps.forge.commitFiles({
          repo,
          branch,
          baseBranch: repo.defaultBranch,
          message,
          files,
        });
        throwIfAborted(signal);
        const bodyInput: PullRequestBodyInput = {
          prompt:
            request.kind === 'iterate'
              ? ((await deps.store.getRequest(request.parentRequestId ?? ''))?.prompt ?? request.prompt)
              : request.prompt,
          source: request.source,
          ...(threadLink(request.thread) ? { threadUrl: threadLink(request.thread) } : {}),
          ...(jobPage ? { jobPageUrl: jobPage } : {}),
          appName: spec.appName,
          entities: spec.entities.map((e) => ({
            name: e.label,
            fields: e.fields.map((f) => `${f.name}: ${f.type}`),
          })),
          behaviours: spec.behaviours,
          components: spec.components,
          endpoints: output.api,
          pages: output.pages,
          files: [...files.keys()],
          validation: output.validation,
          agents: output.agentRuns.map((r) => ({
            agent: r.agent,
            durationMs: r.durationMs,
            tokensIn: r.tokensIn,
            tokensOut: r.tokensOut,
            costUsd: r.costUsd,
          })),
          reviewChecklist: output.reviewChecklist,
          screenshots: screenshotRows(
            deps.forge,
            repo,
            branch,
            shots,
            output.validation.look?.sections ?? [],
          ),
        };
        // Inputs first: rendering escapes and truncates them, which would hide a secret from `redact`.
        const body = redact(renderPullRequestBody(mapStrings(bodyInput, redact)));
        const { pullRequest, outcome: pullRequestOutcome } = await deps.forge.ensurePullRequest({
          repo,
          branch,
          baseBranch: repo.defaultBranch,
          title: redact(`${spec.appName}: generated by Autonoma`),
          body,
          labels: PULL_REQUEST_LABELS,
        });
        await deps.store.recordPullRequest({
          requestId: request.parentRequestId ?? request.id,
          forge: deps.forge.name,
          repo: repo.fullName,
          repoUrl: repo.location,
          number: pullRequest.number,
          url: pullRequest.url,
          title: pullRequest.title,
          body,
          branch,
          baseBranch: repo.defaultBranch,
          headSha: commit.sha,
        });
        const verb = { created: 'opened', updated: 'updated', unchanged: 'already up to date' }[
          pullRequestOutcome
        ];
        await progress.stage('publish', 'completed', `Pull request #${pullRequest.number} ${verb}`);
        await progress.milestone(
          'publish',
          `Pull request #${pullRequest.number} ${verb}: ${pullRequest.title}`,
          [
            { label: 'Pull request', url: pullRequest.url },
            { label: 'Repository', url: repo.location },
            ...(jobPageLink ? [jobPageLink] : []),
          ],
        );
        const tokens = output.agentRuns.reduce(
          (sum, r) => ({ input: sum.input + r.tokensIn, output: sum.output + r.tokensOut }),
          { input: 0, output: 0 },
        );
        const costUsd = output.agentRuns.reduce((sum, r) => sum + r.costUsd, 0);
        // The thread's last message says what the build cost, not only the PR's agent table.
        const spend = `Spent ${tokens.input.toLocaleString('en-US')} input and ${tokens.output.toLocaleString('en-US')} output tokens ($${costUsd.toFixed(2)}) in ${output.agentRuns.length} agent runs.`;
        const summary = output.change
          ? `${output.reviewSummary}\n\nCommitted ${commit.sha.slice(0, 7)} to ${branch}. ${spend}`
          : `${output.reviewSummary}\n\n${spend}`;
        return {
          requestId: request.id,
          appName: spec.appName,
          slug: spec.slug,
          entities: spec.entities.map((e) => e.name),
          outline: summarizeSpec(spec).slice(0, 2000),
          files: files.size,
          repository: { forge: deps.forge.name, name: repo.fullName, location: repo.location },
          branch,
          commitSha: commit.sha,
          pullRequest: { number: pullRequest.number, url: pullRequest.url, title: pullRequest.title },
          validation: output.validation,
          ...(shots.length > 0
            ? {
                screenshots: shots.map((shot) => ({
                  file: shot.file,
                  url: openableUrl(
                    repo,
                    deps.forge.imageUrl(repo, branch, `${SCREENSHOTS_DIR}/${shot.file}`),
                  ),
                })),
              }
            : {}),
          timingsMs: timings(output),
          tokens,
          agentTokens: agentTokens(output),
          costUsd,
          reviewSummary: summary.slice(0, 20000),
        };
      } finally {
        await rm(workspaceDir, { recursive: true, force: true }).catch(() => undefined);
      }
    },
  };
}
