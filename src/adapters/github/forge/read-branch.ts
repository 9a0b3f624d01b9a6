import { AutonomaError } from '../../../core/errors.js';
import { encodeBinaryFile, type RepositoryRef } from '../../../core/ports/forge.js';
import { repoCoordinates, type GitHubContext } from './github-context.js';
import { callGitHub } from './github-errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const PARALLEL_READS = 8;

function blobToContent(bytes: Buffer): string {
  if (!bytes.includes(0)) {
    try {
      return utf8.decode(bytes);
    } catch {
      // not UTF-8: binary
    }
  }
  return encodeBinaryFile(bytes);
}

/**
 * Every file of a commit: its recursive tree, then each blob (eight at a time). Used for iterations
 * only, where a few hundred reads are acceptable; writes never read blobs back.
 */
export async function readBranch(
  ctx: GitHubContext,
  repo: RepositoryRef,
  commitSha: string,
): Promise<Map<string, string>> {
  const coordinates = repoCoordinates(repo);
  return callGitHub(`reading the files of ${repo.fullName}@${commitSha.slice(0, 7)}`, async () => {
    const { data: commit } = await ctx.octokit.rest.git.getCommit({ ...coordinates, commit_sha: commitSha });
    const { data: tree } = await ctx.octokit.rest.git.getTree({
      ...coordinates,
      tree_sha: commit.tree.sha,
      recursive: 'true',
    });
    if (tree.truncated) {
      throw new AutonomaError(
        'forge_failed',
        `${repo.fullName} has too many files for GitHub to list in one tree.`,
      );
    }
    const blobs = tree.tree.filter((e) => e.type === 'blob' && e.path && e.sha);
    const files = new Map<string, string>();
    for (let start = 0; start < blobs.length; start += PARALLEL_READS) {
      const batch = blobs.slice(start, start + PARALLEL_READS);
      const contents = await Promise.all(
        batch.map((e) => ctx.octokit.rest.git.getBlob({ ...coordinates, file_sha: e.sha! })),
      );
      contents.forEach(({ data }, index) => {
        files.set(
          batch[index]!.path!,
          blobToContent(Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')),
        );
      });
    }
    return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}
