import type { GitHubContext } from './github-context.js';
import { findOnGitHub } from './github-errors.js';

/** The commit a branch points at, or null if the branch (or, with 409, the whole repository) is empty. */
export async function findBranchSha(
  ctx: GitHubContext,
  coordinates: { owner: string; repo: string },
  branch: string,
): Promise<string | null> {
  const ref = await findOnGitHub(
    `reading the branch ${branch} of ${coordinates.owner}/${coordinates.repo}`,
    () => ctx.octokit.rest.git.getRef({ ...coordinates, ref: `heads/${branch}` }),
    [404, 409],
  );
  return ref?.data.object.sha ?? null;
}
