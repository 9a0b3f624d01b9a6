export { createLocalGitForge, type LocalGitForgeOptions } from './local-git-forge.js';
