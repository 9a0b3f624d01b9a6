import { gitText, identityEnv, runGit, type GitIdentity } from './run-git.js';

/** The commit a branch points at, or null when the branch does not exist. */
export async function resolveBranch(gitDir: string, branch: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(
    ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
    { gitDir, allowExitCodes: [1] },
  );
  return exitCode === 0 ? stdout.toString('utf8').trim() : null;
}

export function treeOfCommit(gitDir: string, commit: string): Promise<string> {
  return gitText(['rev-parse', `${commit}^{tree}`], { gitDir });
}

export function createCommit(
  gitDir: string,
  input: { tree: string; parent: string | null; message: string; author: GitIdentity },
): Promise<string> {
  const parentArgs = input.parent === null ? [] : ['-p', input.parent];
  return gitText(['commit-tree', input.tree, ...parentArgs], {
    gitDir,
    input: input.message,
    env: identityEnv(input.author),
  });
}

/**
 * Moves a branch only if it still points where we last saw it (`null`: it must not exist yet), so a
 * concurrent writer that slipped past the lock makes this fail instead of losing its commit.
 */
export async function moveBranch(
  gitDir: string,
  branch: string,
  newSha: string,
  expectedSha: string | null,
): Promise<void> {
  await runGit(['update-ref', `refs/heads/${branch}`, newSha, expectedSha ?? ''], { gitDir });
}

export async function isValidBranchName(branch: string): Promise<boolean> {
  const { exitCode } = await runGit(['check-ref-format', `refs/heads/${branch}`], { allowExitCodes: [1] });
  return exitCode === 0;
}
