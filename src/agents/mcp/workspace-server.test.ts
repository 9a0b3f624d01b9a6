import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { connectToolServers } from './tool-client.js';
import type { ToolClient } from './tool-client.js';
import { createWorkspaceServer } from './workspace-server.js';
import type { WorkspaceLimits } from './workspace-server.js';

let root: string;
let outside: string;
let tools: ToolClient;
let writes: Array<[string, number]>;

async function connect(limits?: Partial<WorkspaceLimits>): Promise<ToolClient> {
  await tools?.close();
  tools = await connectToolServers([
    createWorkspaceServer({
      root,
      limits,
      onWrite: (file, bytes) => writes.push([file, bytes]),
      searchTimeoutMs: 200,
    }),
  ]);
  return tools;
}

beforeAll(async () => {
  outside = await mkdtemp(path.join(tmpdir(), 'autonoma-outside-'));
  await writeFile(path.join(outside, 'secret.txt'), 'top secret');
});

afterAll(async () => {
  await rm(outside, { recursive: true, force: true });
});

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'autonoma-workspace-'));
  writes = [];
  await connect();
});

afterEach(async () => {
  await tools.close();
  await rm(root, { recursive: true, force: true });
});

describe('workspace tools', () => {
  it('writes, reads, lists, searches and deletes files', async () => {
    const written = await tools.callTool('write_file', {
      path: 'src/app.ts',
      content: 'export const answer = 42;\n',
    });
    expect(written).toMatchObject({
      isError: false,
      structured: { path: 'src/app.ts', bytes: 26, created: true },
    });
    expect(JSON.parse(written.content)).toEqual(written.structured);
    expect(writes).toEqual([['src/app.ts', 26]]);

    const rewritten = await tools.callTool('write_file', {
      path: './src//app.ts',
      content: 'export const answer = 43;\n',
    });
    expect(rewritten.structured).toEqual({ path: 'src/app.ts', bytes: 26, created: false });
    await tools.callTool('write_file', { path: 'README.md', content: 'The answer\n' });
    await mkdir(path.join(root, 'node_modules/dep'), { recursive: true });
    await writeFile(path.join(root, 'node_modules/dep/index.js'), 'answer');

    const read = await tools.callTool('read_file', { path: 'src/app.ts' });
    expect(read.structured).toEqual({
      path: 'src/app.ts',
      content: 'export const answer = 43;\n',
      totalLines: 1,
      startLine: 1,
      endLine: 1,
    });
    await tools.callTool('write_file', { path: 'src/long.ts', content: 'one\ntwo\nthree\nfour\n' });
    expect(
      (await tools.callTool('read_file', { path: 'src/long.ts', startLine: 2, endLine: 3 })).structured,
    ).toEqual({
      path: 'src/long.ts',
      content: 'two\nthree',
      totalLines: 4,
      startLine: 2,
      endLine: 3,
    });
    expect(
      (await tools.callTool('read_file', { path: 'src/long.ts', startLine: 9 })).structured,
    ).toMatchObject({ content: 'four', startLine: 4, endLine: 4 });
    await tools.callTool('delete_file', { path: 'src/long.ts' });

    const listed = await tools.callTool('list_files', {});
    expect(listed.structured).toEqual({ files: ['README.md', 'src/app.ts'], truncated: false });
    expect((await tools.callTool('list_files', { dir: 'src' })).structured).toEqual({
      files: ['src/app.ts'],
      truncated: false,
    });

    const plain = await tools.callTool('search_files', { pattern: 'answer =' });
    expect(plain.structured).toEqual({
      matches: [{ path: 'src/app.ts', line: 1, text: 'export const answer = 43;' }],
      truncated: false,
    });
    const insensitive = await tools.callTool('search_files', {
      pattern: 'ANSWER',
      caseSensitive: false,
      glob: '*.md',
    });
    expect(insensitive.structured).toEqual({
      matches: [{ path: 'README.md', line: 1, text: 'The answer' }],
      truncated: false,
    });
    const regex = await tools.callTool('search_files', {
      pattern: 'answer = \\d+',
      regex: true,
      glob: 'src/**/*.ts',
    });
    expect(regex.structured).toMatchObject({ matches: [{ path: 'src/app.ts', line: 1 }] });

    expect((await tools.callTool('delete_file', { path: 'src/app.ts' })).structured).toEqual({
      path: 'src/app.ts',
      deleted: true,
    });
    expect((await tools.callTool('delete_file', { path: 'src/app.ts' })).structured).toEqual({
      path: 'src/app.ts',
      deleted: false,
    });
    const missing = await tools.callTool('read_file', { path: 'src/app.ts' });
    expect(missing.isError).toBe(true);
    expect(missing.content).toContain('does not exist');
    expect(missing.content).not.toContain(root);
  });

  it.each([
    ['../x', 'contains ".."'],
    ['a/../../x', 'contains ".."'],
    ['/etc/passwd', 'absolute'],
    ['C:\\x', 'backslash'],
    ['C:/x', 'absolute'],
    ['a\u0000b', 'NUL'],
    ['.git/config', '.git'],
    ['sub/.GIT/hooks/pre-commit', '.git'],
  ])('refuses %j on every file tool', async (requested, reason) => {
    for (const [tool, args] of [
      ['write_file', { path: requested, content: 'x' }],
      ['read_file', { path: requested }],
      ['delete_file', { path: requested }],
      ['list_files', { dir: requested }],
    ] as const) {
      const result = await tools.callTool(tool, args);
      expect(result.isError).toBe(true);
      expect(result.content).toContain(reason);
    }
  });

  it('refuses to follow symbolic links that lead outside the workspace', async () => {
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    await symlink(outside, path.join(root, 'linkdir'));
    await symlink(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling.txt'));

    for (const [tool, args] of [
      ['read_file', { path: 'link.txt' }],
      ['write_file', { path: 'link.txt', content: 'overwritten' }],
      ['read_file', { path: 'linkdir/secret.txt' }],
      ['write_file', { path: 'linkdir/new.txt', content: 'escaped' }],
      ['write_file', { path: 'linkdir/deeper/new.txt', content: 'escaped' }],
      ['delete_file', { path: 'linkdir/secret.txt' }],
      ['list_files', { dir: 'linkdir' }],
      ['write_file', { path: 'dangling.txt', content: 'escaped' }],
    ] as const) {
      const result = await tools.callTool(tool, args);
      expect({ tool, args, isError: result.isError }).toEqual({ tool, args, isError: true });
      expect(result.content).toMatch(/symbolic link/);
    }
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
    await expect(readFile(path.join(outside, 'new.txt'))).rejects.toThrow();
    await expect(readFile(path.join(outside, 'not-yet.txt'))).rejects.toThrow();
    // Links are never listed or searched through.
    expect((await tools.callTool('list_files', {})).structured).toEqual({ files: [], truncated: false });
    expect((await tools.callTool('search_files', { pattern: 'secret' })).structured).toMatchObject({
      matches: [],
    });
  });

  it('refuses links inside the workspace that point into .git', async () => {
    await mkdir(path.join(root, '.git'));
    await writeFile(path.join(root, '.git/config'), '[core]');
    await symlink(path.join(root, '.git'), path.join(root, 'gitdir'));
    const result = await tools.callTool('write_file', { path: 'gitdir/config', content: 'x' });
    expect(result.isError).toBe(true);
    expect(await readFile(path.join(root, '.git/config'), 'utf8')).toBe('[core]');
  });

  it('follows links that stay inside the workspace', async () => {
    await mkdir(path.join(root, 'real'));
    await symlink(path.join(root, 'real'), path.join(root, 'alias'));
    const written = await tools.callTool('write_file', { path: 'alias/a.txt', content: 'hi' });
    expect(written.structured).toEqual({ path: 'alias/a.txt', bytes: 2, created: true });
    expect(await readFile(path.join(root, 'real/a.txt'), 'utf8')).toBe('hi');
  });

  it('enforces the file size, file count and total size limits', async () => {
    await connect({ maxFileBytes: 10, maxFiles: 2, maxTotalBytes: 15 });
    const tooBig = await tools.callTool('write_file', { path: 'big.txt', content: 'x'.repeat(11) });
    expect(tooBig).toMatchObject({ isError: true });
    expect(tooBig.content).toContain('10-byte limit');

    expect((await tools.callTool('write_file', { path: 'a.txt', content: 'x'.repeat(10) })).isError).toBe(
      false,
    );
    const overTotal = await tools.callTool('write_file', { path: 'b.txt', content: 'x'.repeat(6) });
    expect(overTotal.isError).toBe(true);
    expect(overTotal.content).toContain('15-byte limit');
    // Replacing a file counts its new size, not old + new.
    expect((await tools.callTool('write_file', { path: 'a.txt', content: 'x'.repeat(9) })).isError).toBe(
      false,
    );
    expect((await tools.callTool('write_file', { path: 'b.txt', content: 'x'.repeat(5) })).isError).toBe(
      false,
    );

    const overCount = await tools.callTool('write_file', { path: 'c.txt', content: '' });
    expect(overCount.isError).toBe(true);
    expect(overCount.content).toContain('2 files');

    await writeFile(path.join(root, 'huge.txt'), 'x'.repeat(11));
    expect((await tools.callTool('read_file', { path: 'huge.txt' })).content).toContain('limit for reading');
  });

  it('serialises concurrent writes so that they cannot overshoot the limits together', async () => {
    await connect({ maxFiles: 3 });
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((name) =>
        tools.callTool('write_file', { path: `${name}.txt`, content: name }),
      ),
    );
    expect(results.filter((result) => !result.isError)).toHaveLength(3);
  });

  it('returns invalid arguments as tool errors the model can correct', async () => {
    const noContent = await tools.callTool('write_file', { path: 'a.txt' });
    expect(noContent.isError).toBe(true);
    expect(noContent.content).toMatch(/content/);
    const wrongType = await tools.callTool('read_file', { path: 42 });
    expect(wrongType.isError).toBe(true);
    expect((await tools.callTool('search_files', { pattern: '' })).isError).toBe(true);
  });

  it('refuses folders where files are expected, and files where folders are', async () => {
    await tools.callTool('write_file', { path: 'dir/a.txt', content: 'a' });
    expect((await tools.callTool('read_file', { path: 'dir' })).content).toContain('folder');
    expect((await tools.callTool('write_file', { path: 'dir', content: 'x' })).content).toContain('folder');
    expect((await tools.callTool('delete_file', { path: 'dir' })).content).toContain('folder');
    expect((await tools.callTool('list_files', { dir: 'dir/a.txt' })).content).toContain('not a folder');
    expect((await tools.callTool('write_file', { path: 'dir/a.txt/b', content: 'x' })).isError).toBe(true);
    expect((await tools.callTool('write_file', { path: '.', content: 'x' })).content).toContain('root');
    expect(
      (await tools.callTool('write_file', { path: 'node_modules/x.js', content: 'x' })).content,
    ).toContain('package.json');
  });

  it('bounds regex searches: invalid patterns and catastrophic backtracking are tool errors', async () => {
    await tools.callTool('write_file', { path: 'a.txt', content: `${'a'.repeat(40)}!\n` });
    const invalid = await tools.callTool('search_files', { pattern: '(unclosed', regex: true });
    expect(invalid).toMatchObject({ isError: true });
    expect(invalid.content).toContain('Invalid regular expression');

    const started = Date.now();
    const catastrophic = await tools.callTool('search_files', { pattern: '(a|a)*$', regex: true });
    expect(catastrophic.isError).toBe(true);
    expect(catastrophic.content).toContain('took longer than 200 ms');
    expect(Date.now() - started).toBeLessThan(5000);
    // The server still answers afterwards.
    expect((await tools.callTool('search_files', { pattern: 'a!' })).structured).toMatchObject({
      matches: [{ path: 'a.txt', line: 1 }],
    });
  });

  it('caps the number of search matches', async () => {
    await tools.callTool('write_file', { path: 'many.txt', content: 'hit\n'.repeat(300) });
    const result = await tools.callTool('search_files', { pattern: 'hit' });
    const structured = result.structured as { matches: unknown[]; truncated: boolean };
    expect(structured.matches).toHaveLength(200);
    expect(structured.truncated).toBe(true);
  });
});
