import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AutonomaError, InvalidInputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { FileMap } from '../../core/domain/files.js';
import type {
  CommitInput,
  CommitResult,
  EnsureOutcome,
  EnsureRepositoryInput,
  Forge,
  RepositoryRef,
} from '../../core/ports/forge.js';
import { decodeFileContent, SCREENSHOTS_DIR } from '../../core/ports/forge.js';
import { createCommit, isValidBranchName, moveBranch, resolveBranch, treeOfCommit } from './git-refs.js';
import { assertSafeFilePaths } from './file-paths.js';
import {
  assertRepositoryName,
  createBareRepository,
  readMetadata,
  readOwnership,
  writeMetadata,
} from './local-repository.js';
import { createLocalPullRequests } from './local-pull-requests.js';
import { readTreeFiles } from './read-tree-files.js';
import { withLockFile } from '../../core/file-lock.js';
import { AUTONOMA_GIT_IDENTITY } from './run-git.js';
import { writeTree } from './write-tree.js';

export interface LocalGitForgeOptions {
  /** Directory holding one bare repository per app, plus `<name>.pulls.json` and `<name>.PULL_REQUEST.md`. */
  rootDir: string;
  logger?: Logger;
  /** How long a write waits for another job's lock on the same repository (default 60 s). */
  lockTimeoutMs?: number;
}

const MAX_NAME_SUFFIX = 50;

/**
 * The forge for machines without GitHub: real bare git repositories on disk, written with plumbing
 * (blobs, a scratch index, commit-tree, compare-and-swap update-ref), so nothing is ever checked out.
 * `git clone <location>` gives a working copy; `git -C <location> diff main...<branch>` is the review.
 */
export function createLocalGitForge(options: LocalGitForgeOptions): Forge {
  const rootDir = path.resolve(options.rootDir);
  const logger = options.logger?.child({ component: 'local-git-forge' });
  const repoDir = (repo: RepositoryRef) => {
    assertRepositoryName(repo.fullName);
    return path.join(rootDir, repo.fullName);
  };
  const locked = <T>(repo: RepositoryRef, work: () => Promise<T>) =>
    withLockFile(`${repoDir(repo)}.lock`, work, {
      ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
      busyMessage:
        `Another job is still writing this repository (lock ${repoDir(repo)}.lock). ` +
        'Try again in a minute; if no job is running, delete the lock file.',
    });
  const refOf = (name: string): RepositoryRef => ({
    forge: 'local',
    fullName: name,
    location: path.join(rootDir, name),
    defaultBranch: 'main',
  });

  async function assertBranchName(branch: string): Promise<void> {
    if (!(await isValidBranchName(branch))) {
      throw new InvalidInputError(`"${branch}" is not a valid git branch name.`);
    }
  }

  async function ensureRepository(input: EnsureRepositoryInput) {
    assertRepositoryName(input.name);
    const metadata = { description: input.description, topics: input.topics, requestId: input.requestId };
    for (let suffix = 1; suffix <= MAX_NAME_SUFFIX; suffix += 1) {
      const name = suffix === 1 ? input.name : `${input.name}-${suffix}`;
      const dir = path.join(rootDir, name);
      const ownership = await readOwnership(dir);
      if (ownership.kind === 'free' && (await createBareRepository(dir, metadata))) {
        logger?.info({ repository: dir }, 'created repository');
        return { repo: refOf(name), outcome: 'created' as const };
      }
      const current = ownership.kind === 'free' ? await readOwnership(dir) : ownership;
      if (current.kind === 'ours' && current.requestId === input.requestId) {
        const existing = await readMetadata(dir);
        const same =
          existing.description === input.description && existing.topics.join(',') === input.topics.join(',');
        if (!same) await writeMetadata(dir, metadata);
        return { repo: refOf(name), outcome: same ? ('unchanged' as const) : ('updated' as const) };
      }
    }
    throw new AutonomaError(
      'conflict',
      `The names ${input.name} to ${input.name}-${MAX_NAME_SUFFIX} are all taken in ${rootDir}. ` +
        'Pick another app name or clean up the forge directory.',
    );
  }

  async function ensureInitialCommit(repo: RepositoryRef, files: FileMap) {
    assertSafeFilePaths(files);
    const gitDir = repoDir(repo);
    const existing = await resolveBranch(gitDir, repo.defaultBranch);
    if (existing) return { sha: existing, outcome: 'unchanged' as const };
    const tree = await writeTree(gitDir, files);
    return locked(repo, async () => {
      const tip = await resolveBranch(gitDir, repo.defaultBranch);
      if (tip) return { sha: tip, outcome: 'unchanged' as const };
      const sha = await createCommit(gitDir, {
        tree,
        parent: null,
        message: 'Initial commit',
        author: AUTONOMA_GIT_IDENTITY,
      });
      await moveBranch(gitDir, repo.defaultBranch, sha, null);
      return { sha, outcome: 'created' as const };
    });
  }

  async function commitFiles(input: CommitInput): Promise<CommitResult> {
    assertSafeFilePaths(input.files);
    await assertBranchName(input.branch);
    const gitDir = repoDir(input.repo);
    const started = Date.now();
    // Objects are content-addressed, so the tree is written before taking the lock.
    const tree = await writeTree(gitDir, input.files);
    return locked(input.repo, async () => {
      const tip = await resolveBranch(gitDir, input.branch);
      if (tip && (await treeOfCommit(gitDir, tip)) === tree) return { sha: tip, outcome: 'unchanged' };
      const parent = tip ?? (await resolveBranch(gitDir, input.baseBranch));
      if (!parent) {
        throw new AutonomaError(
          'conflict',
          `Branch ${input.baseBranch} does not exist in ${gitDir}: make the initial commit before committing the app.`,
        );
      }
      const sha = await createCommit(gitDir, {
        tree,
        parent,
        message: input.message,
        author: input.author ?? AUTONOMA_GIT_IDENTITY,
      });
      await moveBranch(gitDir, input.branch, sha, tip);
      await exportScreenshots(gitDir, input.branch, input.files);
      const outcome: EnsureOutcome = tip ? 'updated' : 'created';
      logger?.info(
        { repository: gitDir, branch: input.branch, sha, files: input.files.size, ms: Date.now() - started },
        'committed files',
      );
      return { sha, outcome };
    });
  }

  async function readBranch(repo: RepositoryRef, branch: string) {
    // A repository delivered under another root (`autonoma build --out DIR`) is read where the job
    // recorded it, so the job page of a CLI build shows its files, screenshots and preview too.
    const gitDir = path.isAbsolute(repo.location) ? repo.location : repoDir(repo);
    const tip = await resolveBranch(gitDir, branch);
    return tip ? readTreeFiles(gitDir, tip) : null;
  }

  const pullRequests = createLocalPullRequests({
    repoDir,
    locked,
    branchExists: async (repo, branch) => (await resolveBranch(repoDir(repo), branch)) !== null,
  });

  return {
    name: 'local',
    ensureRepository,
    ensureInitialCommit,
    commitFiles,
    readBranch,
    ...pullRequests,
    imageUrl: (repo, branch, file) => {
      assertRepositoryName(repo.fullName);
      // Relative to PULL_REQUEST.md, which sits beside the repository like the exported images.
      return `${repo.fullName}.screenshots/${branchDirName(branch)}/${path.posix.basename(file)}`;
    },
  };
}

/** A branch name as one directory name (`autonoma/recipe-app` → `autonoma-recipe-app`). */
function branchDirName(branch: string): string {
  return branch.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/**
 * A bare repository has no files to open: the branch's screenshots are also written beside it
 * (`<repo>.screenshots/<branch>/`), replacing the previous commit's, so PULL_REQUEST.md can show them.
 */
async function exportScreenshots(gitDir: string, branch: string, files: FileMap): Promise<void> {
  const dir = path.join(`${gitDir}.screenshots`, branchDirName(branch));
  await rm(dir, { recursive: true, force: true });
  const shots = [...files].filter(
    ([file]) => path.posix.dirname(file) === SCREENSHOTS_DIR && file.endsWith('.png'),
  );
  if (shots.length === 0) return;
  await mkdir(dir, { recursive: true });
  for (const [file, content] of shots) {
    await writeFile(path.join(dir, path.posix.basename(file)), decodeFileContent(content).bytes);
  }
}
