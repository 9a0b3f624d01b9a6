import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { ValidationReport } from '../../core/domain/request.js';
import { recordingContext } from '../../../tests/helpers/pipeline-fixtures.js';
import type { AgentRole } from './agent-outputs.js';
import { type RepairRequest, responsibleAgents, validateWithRepairs } from './validation-gate.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const SOURCE = [
  'export function total(items: number[]): number {',
  '  let sum = 0;',
  '  for (const i of items) sum += i;',
  "  return 'sum';",
  '}',
  '',
].join('\n');
const TSC_ERROR = "src/total.ts(4,3): error TS2322: Type 'string' is not assignable to type 'number'.";

/** A typecheck that fails while src/total.ts returns a string, as `tsc` reports it. */
function typecheckOf(workspace: string) {
  return async (): Promise<ValidationReport> => {
    const code = await readFile(path.join(workspace, 'src/total.ts'), 'utf8');
    const ok = !code.includes("return 'sum'");
    const step = { ok: true, durationMs: 1 };
    return {
      ok,
      syntax: step,
      install: step,
      lint: step,
      typecheck: ok ? step : { ok: false, durationMs: 900, output: `> tsc --noEmit\n\n${TSC_ERROR}` },
      repairRounds: 0,
    };
  };
}

async function workspace(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autonoma-gate-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'package.json'), '{}');
  await (await import('node:fs/promises')).mkdir(path.join(dir, 'src'));
  await writeFile(path.join(dir, 'src/total.ts'), SOURCE);
  return dir;
}

function gate(dir: string, repair: (roles: AgentRole[], failure: RepairRequest) => Promise<void>) {
  const context = recordingContext();
  const run = validateWithRepairs({
    workspaceDir: dir,
    cacheDir: path.join(dir, '.cache'),
    scratchDir: path.join(os.tmpdir(), 'autonoma-gate-scratch'),
    timeoutMs: 1000,
    repairRounds: 3,
    checkSyntax: async () => ({ files: [] }),
    validateApp: typecheckOf(dir),
    progress: context.progress,
    owners: new Map<string, AgentRole>([['src/total.ts', 'backend']]),
    repair: (roles, failure) => repair(roles, failure),
    spent: () => ({ usd: 0.42, tokens: 12345 }),
    signal: new AbortController().signal,
  });
  return { run, context };
}

describe('repairs that converge', () => {
  it('gives the owner the error line and the code around it, and says in the thread what is repaired', async () => {
    const dir = await workspace();
    const seen: Array<{ roles: AgentRole[]; failure: RepairRequest }> = [];
    const { run, context } = gate(dir, async (roles, failure) => {
      seen.push({ roles, failure });
      await writeFile(path.join(dir, 'src/total.ts'), SOURCE.replace("return 'sum'", 'return sum'));
    });
    const report = await run;
    expect(report.ok).toBe(true);
    expect(report.repairRounds).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.roles).toEqual(['backend']);
    expect(seen[0]?.failure.excerpts).toEqual([
      expect.objectContaining({
        file: 'src/total.ts',
        line: 4,
        message: "error TS2322: Type 'string' is not assignable to type 'number'.",
        code: expect.stringContaining(">    4 |   return 'sum';"),
      }),
    ]);
    expect(seen[0]?.failure.excerpts?.[0]?.code).toContain('     1 | export function total');
    const notice = context.events.find((e) => e.kind === 'milestone');
    expect(notice?.message).toBe(
      "Validation failed at typecheck in src/total.ts:4; repair round 1 of 3 by backend.\nerror TS2322: Type 'string' is not assignable to type 'number'.",
    );
  });

  it('ends at once when a repair round changes no file, naming step, file, error and spend', async () => {
    const dir = await workspace();
    let rounds = 0;
    const { run } = gate(dir, async () => {
      rounds += 1;
    });
    await expect(run).rejects.toThrow(
      /failed validation at the typecheck step in src\/total\.ts:4 and repair round 1 by backend changed no file, so no pull request was opened \(spent \$0\.42, 12345 tokens\)\.\n.*TS2322/s,
    );
    expect(rounds).toBe(1);
  });

  it('ends at once when a repair changes files but the same error comes back', async () => {
    const dir = await workspace();
    let rounds = 0;
    const { run } = gate(dir, async () => {
      rounds += 1;
      await writeFile(path.join(dir, 'src/total.ts'), `// attempt ${rounds}\n${SOURCE}`);
    });
    await expect(run).rejects.toThrow(
      /again after repair round 1 \(the same error: the repair did not converge\)/,
    );
    expect(rounds).toBe(1);
  });
});

describe('who repairs a failure', () => {
  const owners = new Map<string, AgentRole>([
    ['src/client/game.ts', 'frontend'],
    ['tests/game.test.ts', 'testing'],
    ['tests/ui/app.test.tsx', 'architecture'],
  ]);

  it('is the owner of the failing test, not of every test file the runner lists', () => {
    // vitest lists passing files too; only the failing one has a location.
    const output = [
      ' ✓ tests/ui/app.test.tsx (1 test) 31ms',
      ' ❯ tests/game.test.ts (5 tests | 1 failed) 12ms',
      '   × tic-tac-toe rules > starts with X on an empty board',
      ' FAIL  tests/game.test.ts > tic-tac-toe rules > starts with X on an empty board',
      "AssertionError: expected 'X' to be 'O' // Object.is equality",
      ' ❯ tests/game.test.ts:13:38',
    ].join('\n');
    expect(responsibleAgents({ step: 'test', output }, owners)).toEqual(['testing']);
  });

  it('falls back to files named on failure lines, then anywhere, then the usual suspects', () => {
    expect(
      responsibleAgents(
        { step: 'test', output: 'ok tests/ui/app.test.tsx\nFAIL src/client/game.ts' },
        owners,
      ),
    ).toEqual(['frontend']);
    expect(responsibleAgents({ step: 'build', output: 'building src/client/game.ts' }, owners)).toEqual([
      'frontend',
    ]);
    expect(responsibleAgents({ step: 'typecheck', output: 'out of memory' }, owners).length).toBeGreaterThan(
      0,
    );
  });
});

describe("files the app's own fixer changed", () => {
  it('join the workspace, are what the repair sees, and are counted over every round', async () => {
    const dir = await workspace();
    // The fixer added a line above the bug: the error's line number is that of the fixed file.
    const fixed = `// fixed by the formatter\n${SOURCE}`;
    const step = { ok: true, durationMs: 1 };
    let round = 0;
    const seen: Array<{ workspace: string; failure: RepairRequest }> = [];
    const report = await validateWithRepairs({
      workspaceDir: dir,
      cacheDir: path.join(dir, '.cache'),
      scratchDir: path.join(os.tmpdir(), 'autonoma-gate-scratch'),
      timeoutMs: 1000,
      repairRounds: 3,
      checkSyntax: async () => ({ files: [] }),
      validateApp: async (): Promise<ValidationReport & { files?: Record<string, string> }> => {
        round += 1;
        if (round > 1)
          return {
            ...{ ok: true, syntax: step, install: step, lint: step, typecheck: step, repairRounds: 0 },
            autofix: { ok: true, durationMs: 4, tool: 'biome', files: ['src/other.ts'] },
            files: { 'src/other.ts': 'export const other = 1;\n' },
          };
        return {
          ...{ ok: false, syntax: step, install: step, lint: step, repairRounds: 0 },
          typecheck: { ok: false, durationMs: 900, output: TSC_ERROR.replace('(4,3)', '(5,3)') },
          autofix: { ok: true, durationMs: 5, tool: 'biome', files: ['src/total.ts'] },
          files: { 'src/total.ts': fixed },
        };
      },
      progress: recordingContext().progress,
      owners: new Map<string, AgentRole>([['src/total.ts', 'backend']]),
      repair: async (_roles, failure) => {
        seen.push({ workspace: await readFile(path.join(dir, 'src/total.ts'), 'utf8'), failure });
        await writeFile(path.join(dir, 'src/total.ts'), fixed.replace("return 'sum'", 'return sum'));
      },
      signal: new AbortController().signal,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.workspace).toBe(fixed);
    expect(seen[0]?.failure.excerpts?.[0]?.code).toContain(">    5 |   return 'sum';");
    expect(report).toMatchObject({
      ok: true,
      repairRounds: 1,
      autofix: { ok: true, durationMs: 4, tool: 'biome', files: ['src/other.ts', 'src/total.ts'] },
    });
    expect(await readFile(path.join(dir, 'src/other.ts'), 'utf8')).toBe('export const other = 1;\n');
  });
});
