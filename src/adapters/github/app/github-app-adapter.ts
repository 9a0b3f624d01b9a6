import type { Octokit } from '@octokit/rest';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import type { Config } from '../../../core/config.js';
import { ConfigError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { ChatAdapter } from '../../../core/ports/chat-adapter.js';
import type { GenerationService } from '../../../core/ports/generation-service.js';
import type { JobStore } from '../../../core/ports/job-store.js';
import type { StateStore } from '../../../core/ports/state-store.js';
import { createGitHubOctokit } from '../forge/index.js';
import type { GitHubAppContext } from './app-context.js';
import { oncePerDelivery } from './claim-delivery.js';
import { onIssueComment } from './on-issue-comment.js';
import { onIssueLabeled } from './on-issue-labeled.js';
import { onIssueUnlabeled } from './on-issue-unlabeled.js';
import { onPullRequestReview } from './on-pull-request-review.js';
import { replyProgress } from './progress-comment.js';
import { webhookRoute } from './webhook-route.js';

export const GITHUB_WEBHOOK_PATH = '/api/github/webhooks';

export interface GitHubAppAdapterDeps {
  config: Config['github'];
  service: GenerationService;
  /** For `findPullRequest`: iterations only start on pull requests Autonoma opened. */
  store: Pick<JobStore, 'findPullRequest'>;
  /** De-duplication of deliveries and notes, progress state (any replica may reply). */
  state: StateStore;
  logger: Logger;
  /**
   * Octokit for one installation. Default: `createGitHubOctokit` with the App's credentials and
   * `config.apiUrl` (GitHub Enterprise Server included); clients are kept per installation.
   */
  octokitFactory?: (installationId: number) => Octokit;
  /** Told each installation token the default clients mint (for redaction). */
  onToken?: (token: string) => void;
  now?: () => Date;
}

type Handler = (app: GitHubAppContext, payload: unknown) => Promise<void>;

function requireSetting(value: string | undefined, name: string, hint: string): string {
  if (!value) throw new ConfigError(`Set ${name} for the GitHub App adapter: ${hint}.`);
  return value;
}

/**
 * The GitHub App: webhooks in at GITHUB_WEBHOOK_PATH (signature verified by Probot, each delivery handled
 * once), progress out as one edited-in-place comment per request, review-thread replies and a check run.
 */
export function createGitHubAppAdapter(deps: GitHubAppAdapterDeps): ChatAdapter {
  const { config } = deps;
  const appId = requireSetting(
    config.appId,
    'GITHUB_APP_ID',
    'the numeric App ID from the App settings page',
  );
  const privateKey = requireSetting(
    config.privateKey,
    'GITHUB_PRIVATE_KEY',
    "paste the App's private key (PEM)",
  );
  const secret = requireSetting(
    config.webhookSecret,
    'GITHUB_WEBHOOK_SECRET',
    "it must match the webhook secret in your GitHub App's settings",
  );
  const logger = deps.logger.child({ component: 'github-app' });
  const clients = new Map<number, Octokit>();
  const octokitFactory =
    deps.octokitFactory ??
    ((installationId: number) =>
      createGitHubOctokit({
        apiUrl: config.apiUrl,
        appId,
        privateKey,
        installationId,
        logger,
        onToken: deps.onToken,
      }));
  const app: GitHubAppContext = {
    config,
    service: deps.service,
    store: deps.store,
    state: deps.state,
    logger,
    octokit(installationId) {
      let client = clients.get(installationId);
      if (!client) {
        client = octokitFactory(installationId);
        clients.set(installationId, client);
      }
      return client;
    },
    now: deps.now ?? (() => new Date()),
  };

  const probot = new Probot({
    appId,
    privateKey,
    secret,
    baseUrl: config.apiUrl.replace(/\/+$/, ''),
    log: logger,
    // Probot's per-event clients are never used (every call goes through `app.octokit`), so they need
    // no throttling queue; the function form is required, Probot overrides a plain throttle object.
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    })),
  });

  const handlers: Record<string, Handler> = {
    'issues.labeled': onIssueLabeled,
    'issues.unlabeled': onIssueUnlabeled,
    'issue_comment.created': onIssueComment,
    'pull_request_review.submitted': onPullRequestReview,
  };
  const middleware = createNodeMiddleware(
    (bot) => {
      for (const [name, handle] of Object.entries(handlers)) {
        bot.on(name as 'issues.labeled', async (context) => {
          const outcome = await oncePerDelivery(app, context.id, () => handle(app, context.payload));
          logger.debug({ delivery: context.id, event: name, outcome }, 'webhook handled');
        });
      }
      bot.on('installation', async (context) => {
        logger.info(
          { action: context.payload.action, installation: context.payload.installation.id },
          'GitHub App installation changed',
        );
      });
    },
    { probot, webhooksPath: GITHUB_WEBHOOK_PATH },
  );
  // Surface a broken Probot set-up (bad key…) in the log at start, not only on the first webhook.
  middleware.catch((error: unknown) => logger.error({ err: error }, 'GitHub App webhooks could not start'));

  return {
    platform: 'github',
    routes: [webhookRoute(GITHUB_WEBHOOK_PATH, middleware)],
    replyProgress: (request, event) => replyProgress(app, request, event),
    async start() {
      await middleware;
    },
  };
}
