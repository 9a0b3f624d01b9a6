import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { AutonomaError } from '../../../core/errors.js';

export interface FindInstallationInput {
  apiUrl: string;
  appId: string | number;
  privateKey: string;
  /** The organisation or user that owns generated repositories. */
  owner: string;
}

/**
 * The App's installation on the owner that receives new repositories: the forge acts with that
 * installation's token (organisation first, then user account).
 */
export async function findInstallationId(input: FindInstallationInput): Promise<number> {
  const app = new Octokit({
    authStrategy: createAppAuth,
    auth: { appId: input.appId, privateKey: input.privateKey },
    baseUrl: input.apiUrl.replace(/\/+$/, ''),
    userAgent: 'autonoma',
    // A 404 on the organisation route is expected for user accounts: not worth a console line.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  for (const route of ['GET /orgs/{owner}/installation', 'GET /users/{owner}/installation'] as const) {
    try {
      const response = await app.request(route, { owner: input.owner });
      return (response.data as { id: number }).id;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) continue;
      if (status === 401) {
        throw new AutonomaError(
          'unauthorized',
          'GitHub rejected the App credentials: check GITHUB_APP_ID and GITHUB_PRIVATE_KEY.',
          { cause: error },
        );
      }
      throw new AutonomaError(
        'upstream_unavailable',
        `Could not look up the GitHub App installation: ${(error as Error).message}`,
        {
          cause: error,
          retryable: true,
        },
      );
    }
  }
  throw new AutonomaError(
    'forbidden',
    `The GitHub App is not installed on "${input.owner}". Install it on that account (AUTONOMA_GITHUB_OWNER) from the App's settings page.`,
  );
}
