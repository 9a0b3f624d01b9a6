import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkSyntax } from './check-syntax.js';
import type { SyntaxReport } from './check-syntax.js';
import { createCodeServer } from './code-server.js';
import { connectToolServers } from './tool-client.js';
import type { ToolClient } from './tool-client.js';

const VALID: Record<string, string> = {
  'src/ok.ts': 'export interface User { id: string }\nexport const users: User[] = [];\n',
  'src/ok.tsx': 'export function App() {\n  return <div className="app">{1 + 1}</div>;\n}\n',
  'src/ok.js': 'export const element = <span>plain js with jsx</span>;\n',
  'package.json': '{ "name": "app", "scripts": { "test": "vitest" } }\n',
  '.github/workflows/ci.yml':
    'name: CI\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
  'README.md': '# not checked {{{',
};

const BROKEN: Record<string, string> = {
  'src/broken.ts': 'export const x: number = ;\n',
  'src/broken.tsx': 'export function App() {\n  return <div>{</div>;\n}\n',
  'broken.json': '{ "a": 1,, }\n',
  'broken.yaml': 'a:\n  - b\n c: d\n',
};

const OUTLINED = `import { z } from 'zod';
export function a() {}
export default class {}
class Store { get() {} static create() {} }
export abstract class Base { abstract run(): void; }
export interface Options { x: number }
export type Id = string;
export enum Color { Red }
export const one = 1, two = 2;
let hidden = 0;
export { hidden as shown };
export * from './other.js';
`;

let root: string;
let tools: ToolClient;

async function writeAll(files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'autonoma-code-'));
  await writeAll({ ...VALID, ...BROKEN, 'src/outlined.ts': OUTLINED });
  tools = await connectToolServers([createCodeServer({ root })]);
});

afterAll(async () => {
  await tools.close();
  await rm(root, { recursive: true, force: true });
});

describe('check_syntax', () => {
  it('flags broken TypeScript, TSX, JSON and YAML and passes valid files', async () => {
    const result = await tools.callTool('check_syntax', {});
    expect(result.isError).toBe(false);
    const report = result.structured as SyntaxReport;
    expect(report.ok).toBe(false);
    const byPath = new Map(report.files.map((file) => [file.path, file]));
    // Without paths, only files of a known language are checked.
    expect([...byPath.keys()].sort()).toEqual(
      [...Object.keys(VALID), ...Object.keys(BROKEN), 'src/outlined.ts']
        .filter((p) => p !== 'README.md')
        .sort(),
    );
    for (const file of Object.keys(VALID).filter((p) => p !== 'README.md')) {
      expect(byPath.get(file)).toMatchObject({ ok: true, skipped: false, errors: [] });
    }
    for (const file of Object.keys(BROKEN)) {
      expect(byPath.get(file)?.ok).toBe(false);
      expect(byPath.get(file)?.errors.length).toBeGreaterThan(0);
    }
    expect(byPath.get('src/ok.js')?.language).toBe('tsx');
    expect(byPath.get('src/broken.ts')?.errors[0]).toMatchObject({ line: 1 });
    expect(byPath.get('broken.json')?.errors[0]).toMatchObject({ line: 1, column: 9 });
  });

  it('checks named files only, reporting unknown languages as skipped', async () => {
    const result = await tools.callTool('check_syntax', { paths: ['src/ok.ts', 'README.md'] });
    expect(result.structured).toEqual({
      ok: true,
      files: [
        { path: 'src/ok.ts', language: 'typescript', ok: true, skipped: false, errors: [] },
        { path: 'README.md', language: 'unknown', ok: true, skipped: true, errors: [] },
      ],
    });
  });

  it('uses the workspace jail for named files', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'autonoma-outside-'));
    await writeFile(path.join(outside, 'x.ts'), 'const x = 1;');
    await symlink(outside, path.join(root, 'escape'));
    try {
      for (const paths of [['../x.ts'], ['/etc/hosts'], ['escape/x.ts'], ['.git/x.json']]) {
        expect((await tools.callTool('check_syntax', { paths })).isError).toBe(true);
      }
      expect((await tools.callTool('check_syntax', { paths: ['missing.ts'] })).content).toContain(
        'does not exist',
      );
    } finally {
      await rm(path.join(root, 'escape'));
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('checks a workspace of ~60 files quickly', async () => {
    const big = await mkdtemp(path.join(tmpdir(), 'autonoma-code-big-'));
    try {
      const module = Array.from(
        { length: 40 },
        (_, i) => `export function f${i}(a: number): number {\n  return a * ${i};\n}\n`,
      ).join('');
      for (let i = 0; i < 60; i++) {
        await mkdir(path.join(big, `src/m${i % 6}`), { recursive: true });
        await writeFile(path.join(big, `src/m${i % 6}/file${i}.ts`), module);
      }
      const started = performance.now();
      const report = await checkSyntax(big);
      expect(report.files).toHaveLength(60);
      expect(report.ok).toBe(true);
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      await rm(big, { recursive: true, force: true });
    }
  });
});

describe('outline', () => {
  it('lists the top-level symbols and class methods of a TypeScript file', async () => {
    const result = await tools.callTool('outline', { path: 'src/outlined.ts' });
    expect(result.structured).toEqual({
      path: 'src/outlined.ts',
      symbols: [
        { kind: 'function', name: 'a', line: 2, exported: true },
        { kind: 'class', name: 'default', line: 3, exported: true },
        { kind: 'class', name: 'Store', line: 4, exported: false },
        { kind: 'method', name: 'Store.get', line: 4, exported: false },
        { kind: 'method', name: 'Store.create', line: 4, exported: false },
        { kind: 'class', name: 'Base', line: 5, exported: true },
        { kind: 'method', name: 'Base.run', line: 5, exported: true },
        { kind: 'interface', name: 'Options', line: 6, exported: true },
        { kind: 'type', name: 'Id', line: 7, exported: true },
        { kind: 'enum', name: 'Color', line: 8, exported: true },
        { kind: 'variable', name: 'one', line: 9, exported: true },
        { kind: 'variable', name: 'two', line: 9, exported: true },
        { kind: 'variable', name: 'hidden', line: 10, exported: false },
        { kind: 'export', name: 'shown', line: 11, exported: true },
        { kind: 'export', name: "* from './other.js'", line: 12, exported: true },
      ],
    });
  });

  it('outlines TSX and refuses other languages', async () => {
    const tsx = await tools.callTool('outline', { path: 'src/ok.tsx' });
    expect(tsx.structured).toEqual({
      path: 'src/ok.tsx',
      symbols: [{ kind: 'function', name: 'App', line: 1, exported: true }],
    });
    const json = await tools.callTool('outline', { path: 'package.json' });
    expect(json.isError).toBe(true);
    expect(json.content).toContain('.ts');
  });
});
