import type { EnsureOutcome, EnsurePullRequestInput, PullRequestRef } from '../../../core/ports/forge.js';
import { repoCoordinates, type GitHubContext } from './github-context.js';
import { callGitHub, githubMessage, httpStatus, toForgeError } from './github-errors.js';

/** GitHub refuses bodies over 65,536 characters. */
export const MAX_PULL_REQUEST_BODY = 65_536;

interface PullData {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  state: string;
  merged_at?: string | null;
  head: { ref: string };
  base: { ref: string };
  labels: Array<{ name?: string }>;
}

function boundedBody(body: string): string {
  if (body.length <= MAX_PULL_REQUEST_BODY) return body;
  const note = '\n\n_…truncated: the full description did not fit in a pull request._\n';
  return body.slice(0, MAX_PULL_REQUEST_BODY - note.length) + note;
}

const toRef = (pull: PullData): PullRequestRef => ({
  number: pull.number,
  url: pull.html_url,
  title: pull.title,
  branch: pull.head.ref,
  baseBranch: pull.base.ref,
  state: pull.merged_at ? 'merged' : pull.state === 'closed' ? 'closed' : 'open',
});

/**
 * Finds the open pull request for the branch (`head=owner:branch`), creates it if there is none (a
 * 422 "already exists" from a concurrent retry is treated as found), brings its title, body and base up
 * to date, and adds missing labels (GitHub creates unknown labels). Never opens a second one.
 */
export async function ensurePullRequest(
  ctx: GitHubContext,
  input: EnsurePullRequestInput,
): Promise<{ pullRequest: PullRequestRef; outcome: EnsureOutcome }> {
  const coordinates = repoCoordinates(input.repo);
  const where = `${input.repo.fullName}@${input.branch}`;
  const body = boundedBody(input.body);
  const findOpen = async () => {
    const { data } = await callGitHub(`looking for the pull request of ${where}`, () =>
      ctx.octokit.rest.pulls.list({
        ...coordinates,
        head: `${coordinates.owner}:${input.branch}`,
        state: 'open',
        per_page: 10,
      }),
    );
    return (data[0] as PullData | undefined) ?? null;
  };

  let outcome: EnsureOutcome = 'unchanged';
  let pull = await findOpen();
  if (!pull) {
    try {
      const { data } = await ctx.octokit.rest.pulls.create({
        ...coordinates,
        title: input.title,
        head: input.branch,
        base: input.baseBranch,
        body,
        maintainer_can_modify: true,
      });
      pull = data as PullData;
      outcome = 'created';
    } catch (error) {
      const raced = httpStatus(error) === 422 && /already exists/i.test(githubMessage(error));
      pull = raced ? await findOpen() : null;
      if (!pull) throw toForgeError(error, `opening the pull request for ${where}`);
    }
  }
  if (
    outcome !== 'created' &&
    (pull.title !== input.title || (pull.body ?? '') !== body || pull.base.ref !== input.baseBranch)
  ) {
    const { data } = await callGitHub(`updating pull request #${pull.number} of ${input.repo.fullName}`, () =>
      ctx.octokit.rest.pulls.update({
        ...coordinates,
        pull_number: pull!.number,
        title: input.title,
        body,
        base: input.baseBranch,
      }),
    );
    pull = data as PullData;
    outcome = 'updated';
  }
  const present = new Set(pull.labels.map((l) => l.name));
  const missing = [...new Set(input.labels)].filter((l) => !present.has(l));
  if (missing.length > 0) {
    await callGitHub(`labelling pull request #${pull.number} of ${input.repo.fullName}`, () =>
      ctx.octokit.rest.issues.addLabels({ ...coordinates, issue_number: pull!.number, labels: missing }),
    );
    if (outcome === 'unchanged') outcome = 'updated';
  }
  ctx.logger.info({ repository: input.repo.fullName, number: pull.number, outcome }, 'ensured pull request');
  return { pullRequest: toRef(pull), outcome };
}
