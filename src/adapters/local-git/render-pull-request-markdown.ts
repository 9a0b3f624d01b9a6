import type { PullRequestFile } from './pull-request-store.js';

/**
 * PULL_REQUEST.md beside the repository: each pull request's title and body, and the command that shows
 * its diff, since the bare repository has no web page to review it on.
 */
export function renderPullRequestMarkdown(repoDir: string, data: PullRequestFile): string {
  const pulls = [...data.pulls].sort((a, b) => (a.state === 'open' ? 0 : 1) - (b.state === 'open' ? 0 : 1));
  if (pulls.length === 0) return '_No pull requests yet._\n';
  return pulls
    .map((pull) => {
      const lines = [
        `# ${pull.title} (#${pull.number})`,
        '',
        `- State: ${pull.state}`,
        `- Branch: \`${pull.branch}\` → \`${pull.base}\``,
        ...(pull.labels.length > 0 ? [`- Labels: ${pull.labels.join(', ')}`] : []),
        `- Review: \`git -C ${repoDir} diff ${pull.base}...${pull.branch}\``,
        '',
        pull.body,
      ];
      for (const comment of pull.comments) {
        lines.push(
          '',
          `## Comment ${comment.id} by ${comment.author} (${comment.updatedAt})`,
          '',
          comment.body,
        );
      }
      return lines.join('\n');
    })
    .join('\n\n---\n\n')
    .concat('\n');
}
