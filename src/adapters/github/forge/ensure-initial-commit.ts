import type { FileMap } from '../../../core/domain/files.js';
import type { EnsureOutcome, RepositoryRef } from '../../../core/ports/forge.js';
import { repoCoordinates, type GitHubContext } from './github-context.js';
import { callGitHub } from './github-errors.js';
import { findBranchSha } from './git-refs.js';
import { assertCommittable, buildTreeEntries } from './tree-entries.js';

/** Message of the throw-away first commit; finding it at the tip means a previous run stopped half way. */
export const BOOTSTRAP_MESSAGE = 'Bootstrap empty repository (autonoma)';
const INITIAL_MESSAGE = 'Initial commit';

/**
 * The git data API refuses to work on an empty repository, so the contents API makes a bootstrap
 * commit first; the default branch is then force-moved to a single root commit holding every initial
 * file. A rerun that finds the bootstrap commit at the tip finishes the job; any other tip is left alone.
 */
export async function ensureInitialCommit(
  ctx: GitHubContext,
  repo: RepositoryRef,
  files: FileMap,
): Promise<{ sha: string; outcome: EnsureOutcome }> {
  assertCommittable(files);
  const coordinates = repoCoordinates(repo);
  const branch = repo.defaultBranch;
  const tip = await findBranchSha(ctx, coordinates, branch);
  if (tip) {
    const { data } = await callGitHub(`reading the tip of ${repo.fullName}@${branch}`, () =>
      ctx.octokit.rest.git.getCommit({ ...coordinates, commit_sha: tip }),
    );
    if (data.message !== BOOTSTRAP_MESSAGE) return { sha: tip, outcome: 'unchanged' };
  } else {
    await callGitHub(`making the first commit in ${repo.fullName}`, () =>
      ctx.octokit.rest.repos.createOrUpdateFileContents({
        ...coordinates,
        path: 'README.md',
        message: BOOTSTRAP_MESSAGE,
        content: Buffer.from(files.get('README.md') ?? `# ${coordinates.repo}\n`).toString('base64'),
      }),
    );
  }
  return callGitHub(`writing the initial commit of ${repo.fullName}`, async () => {
    const tree = await buildTreeEntries(ctx, coordinates, files);
    const { data: newTree } = await ctx.octokit.rest.git.createTree({ ...coordinates, tree });
    const { data: commit } = await ctx.octokit.rest.git.createCommit({
      ...coordinates,
      message: INITIAL_MESSAGE,
      tree: newTree.sha,
      parents: [],
    });
    await ctx.octokit.rest.git.updateRef({
      ...coordinates,
      ref: `heads/${branch}`,
      sha: commit.sha,
      force: true,
    });
    return { sha: commit.sha, outcome: 'created' as const };
  });
}
