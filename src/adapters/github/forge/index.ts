export { createGitHubForge, type GitHubForgeOptions } from './github-forge.js';
export {
  createGitHubOctokit,
  type GitHubCredentials,
  type GitHubOctokitOptions,
} from './create-github-octokit.js';
export type { OwnerType } from './ensure-repository.js';
export { callGitHub, httpStatus, toForgeError } from './github-errors.js';
