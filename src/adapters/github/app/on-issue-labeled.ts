import type { GitHubAppContext } from './app-context.js';
import { isBot } from './is-bot.js';
import { IssueLabelEventSchema, parsePayload } from './payloads.js';
import { buildPrompt } from './prompts.js';
import { startBuild } from './start-build.js';

/** `issues.labeled` with the trigger label: build an app from the issue. */
export async function onIssueLabeled(app: GitHubAppContext, payload: unknown): Promise<void> {
  const event = parsePayload(IssueLabelEventSchema, payload, 'issues.labeled');
  if (event.label?.name.toLowerCase() !== app.config.triggerLabel.toLowerCase()) return;
  if (event.issue.pull_request !== undefined || isBot(app, event.sender)) return;
  await startBuild(app, {
    installationId: event.installation.id,
    repository: { id: event.repository.id, owner: event.repository.owner.login, name: event.repository.name },
    issueNumber: event.issue.number,
    prompt: buildPrompt(event.issue),
    sender: event.sender,
    // One build per issue for the label, whatever the delivery: adding the label twice is one job.
    idempotencyKey: `github:${event.repository.id}:issue:${event.issue.number}:build`,
  });
}
