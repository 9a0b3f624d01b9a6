import type { CommitStatusInput } from '../../../core/ports/forge.js';
import { repoCoordinates, type GitHubContext } from './github-context.js';
import { callGitHub } from './github-errors.js';

const DESCRIPTION_MAX = 140;

/**
 * A commit status (context = `name`): it works the same with a personal token and a GitHub App (which
 * needs "Commit statuses: write"), and posting it again simply replaces the previous state — idempotent
 * without a lookup. Check runs would need an App and a find-first by name; statuses are enough to gate
 * a merge on validation. `details`, when it is a URL, becomes the status link.
 */
export async function setCommitStatus(ctx: GitHubContext, input: CommitStatusInput): Promise<void> {
  const summary = input.summary.replace(/\s+/g, ' ').trim();
  const description =
    summary.length > DESCRIPTION_MAX ? `${summary.slice(0, DESCRIPTION_MAX - 1)}…` : summary;
  const targetUrl = input.details && /^https?:\/\/\S+$/.test(input.details) ? input.details : undefined;
  await callGitHub(
    `setting the ${input.name} status on ${input.sha.slice(0, 7)} in ${input.repo.fullName}`,
    () =>
      ctx.octokit.rest.repos.createCommitStatus({
        ...repoCoordinates(input.repo),
        sha: input.sha,
        state: input.state,
        context: input.name,
        description,
        ...(targetUrl ? { target_url: targetUrl } : {}),
      }),
  );
}
