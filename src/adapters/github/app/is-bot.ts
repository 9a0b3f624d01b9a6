import type { GitHubAppContext } from './app-context.js';

/** Bots (Autonoma itself included) never trigger work: that is how reply loops are avoided. */
export function isBot(
  app: Pick<GitHubAppContext, 'config'>,
  account: { login: string; type: string },
): boolean {
  return account.type === 'Bot' || account.login.toLowerCase() === `${app.config.appSlug}[bot]`;
}
