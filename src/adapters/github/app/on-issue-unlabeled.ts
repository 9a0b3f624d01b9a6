import type { GitHubAppContext } from './app-context.js';
import { cancelThreadRequest } from './cancel-request.js';
import { isBot } from './is-bot.js';
import { IssueLabelEventSchema, parsePayload } from './payloads.js';

/** `issues.unlabeled` with the trigger label: cancel the issue's running build. */
export async function onIssueUnlabeled(app: GitHubAppContext, payload: unknown): Promise<void> {
  const event = parsePayload(IssueLabelEventSchema, payload, 'issues.unlabeled');
  if (event.label?.name.toLowerCase() !== app.config.triggerLabel.toLowerCase()) return;
  if (isBot(app, event.sender)) return;
  await cancelThreadRequest(
    app,
    {
      installationId: event.installation.id,
      owner: event.repository.owner.login,
      repo: event.repository.name,
      issueNumber: event.issue.number,
    },
    event.sender,
  );
}
