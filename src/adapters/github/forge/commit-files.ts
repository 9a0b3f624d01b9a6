import { AutonomaError } from '../../../core/errors.js';
import type { CommitInput, CommitResult } from '../../../core/ports/forge.js';
import { repoCoordinates, type GitHubContext } from './github-context.js';
import { githubMessage, httpStatus, toForgeError } from './github-errors.js';
import { findBranchSha } from './git-refs.js';
import { assertCommittable, buildTreeEntries } from './tree-entries.js';

const WORKFLOW_PATH = /^\.github\/workflows\//;

function isWorkflowRefusal(error: unknown, input: CommitInput): boolean {
  const status = httpStatus(error);
  return (
    (status === 403 || status === 404) &&
    /workflow/i.test(githubMessage(error)) &&
    [...input.files.keys()].some((path) => WORKFLOW_PATH.test(path))
  );
}

function workflowPermissionError(error: unknown, repo: string): AutonomaError {
  return new AutonomaError(
    'forbidden',
    `GitHub refused to write .github/workflows/* in ${repo}: the GitHub App needs the 'workflows: write' ` +
      'permission (a personal token needs the workflow scope). Add it in the App settings, accept the new ' +
      'permission on the installation, then retry.',
    { cause: error, details: { reason: githubMessage(error) } },
  );
}

/**
 * One commit holding exactly `files` on `branch`, through the git data API: read the tip, post the
 * complete tree (text inline, so the call count does not grow with the number of files), post the
 * commit, move the ref. Five calls plus one per binary file; an unchanged tree makes no commit.
 */
export async function commitFiles(ctx: GitHubContext, input: CommitInput): Promise<CommitResult> {
  assertCommittable(input.files);
  const coordinates = repoCoordinates(input.repo);
  const where = `${input.repo.fullName}@${input.branch}`;
  const tip = await findBranchSha(ctx, coordinates, input.branch);
  const parent = tip ?? (await findBranchSha(ctx, coordinates, input.baseBranch));
  if (!parent) {
    throw new AutonomaError(
      'conflict',
      `The base branch ${input.baseBranch} of ${input.repo.fullName} has no commits yet: make the initial commit first.`,
    );
  }
  let step = 'reading the tip commit';
  try {
    const tipTree = tip
      ? (await ctx.octokit.rest.git.getCommit({ ...coordinates, commit_sha: tip })).data.tree.sha
      : null;
    step = 'uploading the files';
    const tree = await buildTreeEntries(ctx, coordinates, input.files);
    step = 'writing the tree';
    const { data: newTree } = await ctx.octokit.rest.git.createTree({ ...coordinates, tree });
    if (tip && newTree.sha === tipTree) return { sha: tip, outcome: 'unchanged' };
    step = 'writing the commit';
    const { data: commit } = await ctx.octokit.rest.git.createCommit({
      ...coordinates,
      message: input.message,
      tree: newTree.sha,
      parents: [parent],
      ...(input.author ? { author: input.author } : {}),
    });
    step = tip ? 'moving the branch' : 'creating the branch';
    if (tip) {
      await ctx.octokit.rest.git.updateRef({ ...coordinates, ref: `heads/${input.branch}`, sha: commit.sha });
    } else {
      await ctx.octokit.rest.git.createRef({
        ...coordinates,
        ref: `refs/heads/${input.branch}`,
        sha: commit.sha,
      });
    }
    ctx.logger.info(
      { repository: input.repo.fullName, branch: input.branch, sha: commit.sha },
      'committed files',
    );
    return { sha: commit.sha, outcome: tip ? 'updated' : 'created' };
  } catch (error) {
    if (isWorkflowRefusal(error, input)) throw workflowPermissionError(error, input.repo.fullName);
    throw toForgeError(error, `${step} for ${where}`);
  }
}
