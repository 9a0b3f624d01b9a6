import type { GenerationRequest, PullRequestTarget } from '../../core/domain/request.js';
import { AutonomaError, InvalidInputError } from '../../core/errors.js';
import type { PullRequestRecord } from '../../core/ports/job-store.js';
import { tenantInstallation, visibleTo, type ToolContext } from './tool-context.js';

/** How far back `{ repo, pullNumber }` is looked for among finished jobs (the store's listing cap). */
const RECENT_JOBS_SCANNED = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type IterationReference = { requestId: string } | { repo: string; pullNumber: number };

export interface ResolvedTarget {
  target: PullRequestTarget;
  /** The build the pull request came from: iterations always point at the original build. */
  parentRequestId: string;
  url: string;
}

function targetOf(request: GenerationRequest): PullRequestTarget | undefined {
  if (request.target) return request.target;
  const result = request.result;
  if (!result?.repository || !result.pullRequest || !result.branch) return undefined;
  return {
    forge: result.repository.forge,
    repo: result.repository.name,
    number: result.pullRequest.number,
    branch: result.branch,
  };
}

function sameRepository(request: GenerationRequest, repo: string): boolean {
  const repository = request.result?.repository;
  if (!repository) return false;
  const wanted = repo.trim().toLowerCase().replace(/\/+$/, '');
  return repository.name.toLowerCase() === wanted || repository.location.toLowerCase() === wanted;
}

async function fromRequestId(context: ToolContext, requestId: string): Promise<GenerationRequest> {
  const request = await context.service.get(requestId);
  // Another tenant's job is answered exactly like a missing one.
  if (!request || !visibleTo(context, request)) {
    throw new AutonomaError(
      'not_found',
      `No job with requestId ${requestId}. list_jobs shows the recent ones.`,
    );
  }
  if (!targetOf(request)) {
    throw new InvalidInputError(
      request.status === 'succeeded'
        ? `Job ${requestId} has no pull request to change.`
        : `Job ${requestId} is ${request.status}; ask for changes once it has succeeded and opened a pull request (see job_status).`,
    );
  }
  return request;
}

async function fromPullRequest(
  context: ToolContext,
  repo: string,
  pullNumber: number,
): Promise<GenerationRequest> {
  const installation = tenantInstallation(context);
  const recent = await context.store.listRequests({
    limit: RECENT_JOBS_SCANNED,
    status: 'succeeded',
    ...(installation ? { installation } : {}),
  });
  const match = recent.find(
    (r) => sameRepository(r, repo) && r.result?.pullRequest?.number === pullNumber && r.result.branch,
  );
  if (!match) {
    throw new AutonomaError(
      'not_found',
      `No Autonoma pull request #${pullNumber} in ${repo} among the ${RECENT_JOBS_SCANNED} most recent ` +
        'successful jobs. Pass the requestId of the build instead (list_jobs shows them).',
    );
  }
  return match;
}

/**
 * The pull request an iteration commits to, from a job id or a repository and PR number. Only pull
 * requests Autonoma opened (and recorded) qualify; the record's number and branch are authoritative.
 */
export async function resolveIterationTarget(
  context: ToolContext,
  reference: IterationReference,
): Promise<ResolvedTarget> {
  const request =
    'requestId' in reference
      ? await fromRequestId(context, reference.requestId)
      : await fromPullRequest(context, reference.repo, reference.pullNumber);
  const target = targetOf(request) as PullRequestTarget;
  const record: PullRequestRecord | null = await context.store.findPullRequest(
    target.forge,
    target.repo,
    target.branch,
  );
  if (!record) {
    throw new AutonomaError(
      'not_found',
      `No Autonoma pull request is recorded for ${target.repo} (${target.branch}); it may have been ` +
        'opened by another deployment.',
    );
  }
  const parentRequestId = UUID.test(record.requestId)
    ? record.requestId
    : (request.parentRequestId ?? request.id);
  return {
    target: { forge: record.forge, repo: record.repo, number: record.number, branch: record.branch },
    parentRequestId,
    url: record.url,
  };
}
