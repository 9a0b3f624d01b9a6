export {
  createGitHubAppAdapter,
  GITHUB_WEBHOOK_PATH,
  type GitHubAppAdapterDeps,
} from './github-app-adapter.js';
export { CHECK_NAME } from './ensure-check-run.js';
export { progressMarker } from './progress-comment.js';
