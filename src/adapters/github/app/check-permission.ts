import { httpStatus, toForgeError } from '../forge/index.js';
import type { GitHubAppContext } from './app-context.js';

const WRITE_PERMISSIONS = new Set(['admin', 'maintain', 'write']);

/**
 * Whether `login` may start work in `owner/repo`: someone on GITHUB_ALLOWED_USERS, or a collaborator
 * with write access (admin, maintain, write).
 */
export async function canTrigger(
  app: GitHubAppContext,
  installationId: number,
  owner: string,
  repo: string,
  login: string,
): Promise<boolean> {
  const allowed = app.config.allowedUsers.map((u) => u.toLowerCase());
  if (allowed.includes(login.toLowerCase())) return true;
  return hasWriteAccess(app, installationId, owner, repo, login);
}

/** A collaborator with admin, maintain or write permission on `owner/repo`. A 404 means "not a collaborator". */
export async function hasWriteAccess(
  app: GitHubAppContext,
  installationId: number,
  owner: string,
  repo: string,
  login: string,
): Promise<boolean> {
  try {
    const { data } = await app.octokit(installationId).rest.repos.getCollaboratorPermissionLevel({
      owner,
      repo,
      username: login,
    });
    const roleName = (data as { role_name?: string }).role_name;
    return (
      WRITE_PERMISSIONS.has(data.permission) || (roleName !== undefined && WRITE_PERMISSIONS.has(roleName))
    );
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw toForgeError(error, `checking ${login}'s permission on ${owner}/${repo}`);
  }
}
