/**
 * Type-checks and lints many generated apps in one run: each app in `<root>/app-<i>/`, one tsconfig
 * and one biome.json at the root (the generator writes the same ones for every app), and the
 * template's installed dependency set linked in as `<root>/node_modules`.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Spec } from '../../src/core/domain/spec.js';
import { renderApp } from '../../src/agents/offline/app/index.js';

/** Written once at the root instead of per app; every app must render them byte-identical. */
const SHARED = ['tsconfig.json', 'biome.json'] as const;
/** Not code: neither tsc nor Biome reads them, and the lockfile is 100 kB per app. */
const SKIPPED = new Set(['package-lock.json']);

export interface AppProblems {
  index: number;
  diagnostics: string[];
}

export async function writeApps(root: string, nodeModules: string, specs: readonly Spec[]): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await symlink(nodeModules, path.join(root, 'node_modules'), 'dir');
  const shared = new Map<string, string>();
  await Promise.all(
    specs.map(async (spec, index) => {
      const files = renderApp(spec);
      for (const name of SHARED) {
        const text = files.get(name) ?? '';
        if ((shared.get(name) ?? text) !== text) throw new Error(`app-${index} renders a different ${name}`);
        shared.set(name, text);
      }
      for (const [file, content] of files) {
        if (SKIPPED.has(file) || (SHARED as readonly string[]).includes(file)) continue;
        const target = path.join(root, `app-${index}`, file);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
      }
    }),
  );
  const tsconfig = JSON.parse(shared.get('tsconfig.json') ?? '{}') as { include: string[] };
  tsconfig.include = specs.flatMap((_, index) => tsconfig.include.map((entry) => `app-${index}/${entry}`));
  await writeFile(path.join(root, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  await writeFile(path.join(root, 'biome.json'), shared.get('biome.json') ?? '{}');
}

/** tsc and Biome diagnostics of every app under `root`, by app index (apps without any left out). */
export async function checkApps(root: string, count: number): Promise<AppProblems[]> {
  const bin = path.join(root, 'node_modules', '.bin');
  const [tsc, biome] = await Promise.all([
    run(path.join(bin, 'tsc'), ['-p', 'tsconfig.json', '--pretty', 'false'], root),
    run(path.join(bin, 'biome'), ['lint', '--reporter=github', '--max-diagnostics=none', '.'], root),
  ]);
  const problems = new Map<number, string[]>();
  const unattributed: string[] = [];
  const add = (file: string, text: string) => {
    const index = /^app-(\d+)\//.exec(path.isAbsolute(file) ? path.relative(root, file) : file)?.[1];
    if (index === undefined) unattributed.push(text);
    else problems.set(Number(index), [...(problems.get(Number(index)) ?? []), text]);
  };
  // A tsc diagnostic's further lines are indented; they belong to the line above.
  for (const diagnostic of tsc.output.split(/\n(?! )/).filter((text) => text.trim() !== '')) {
    const file = /^(\S+?)\(\d+,\d+\): error /.exec(diagnostic)?.[1];
    if (file) add(file, diagnostic);
    else unattributed.push(diagnostic);
  }
  for (const line of biome.output.split('\n')) {
    const match = /^::(error|warning)[^:]*file=([^,]+)/.exec(line);
    if (match?.[2]) add(match[2], line);
  }
  if (!tsc.ok && problems.size === 0 && unattributed.length === 0) unattributed.push(tsc.output);
  if (!biome.ok && problems.size === 0 && unattributed.length === 0) unattributed.push(biome.output);
  if (unattributed.length > 0)
    throw new Error(`tsc/biome failed outside any app:\n${unattributed.join('\n')}`);
  return [...problems.entries()]
    .filter(([index]) => index < count)
    .sort(([a], [b]) => a - b)
    .map(([index, diagnostics]) => ({ index, diagnostics }));
}

function run(file: string, args: string[], cwd: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      resolve({ ok: error === null, output: `${stdout}${stderr}` });
    });
  });
}
