import type { GitHubAppContext } from './app-context.js';
import { forgeFor } from './github-forge-for.js';
import { repositoryRef } from './repository-ref.js';

/** A polite refusal, posted once per person and issue (the marker makes a second one an edit, or nothing). */
export async function postRefusal(
  app: GitHubAppContext,
  where: { installationId: number; owner: string; repo: string; issueNumber: number },
  login: string,
): Promise<void> {
  const marker = `<!-- autonoma:refusal:${login.toLowerCase()} -->`;
  const body =
    `Thanks for your interest, @${login}! Only people with write access to ${where.owner}/${where.repo} ` +
    'can ask Autonoma to build or change an app here, so I have not started anything. A maintainer can add ' +
    `the \`${app.config.triggerLabel}\` label or comment \`/autonoma build\` for you, or an administrator ` +
    'of this Autonoma deployment can add you to GITHUB_ALLOWED_USERS.';
  await forgeFor(app, where.installationId, where.owner).ensureComment(
    repositoryRef(app, where.owner, where.repo),
    where.issueNumber,
    marker,
    body,
  );
}
