import { describe, expect, it } from '@jest/globals';
import { chooseFixer } from './autofix.js';

const manifest = (devDependencies: Record<string, string>, dependencies: Record<string, string> = {}) =>
  JSON.stringify({ name: 'app', scripts: { lint: 'x' }, dependencies, devDependencies });
const bins = (...names: string[]) => new Set(names);

describe('chooseFixer', () => {
  it('prefers Biome, with safe fixes, formatting and import organizing as the app configures them', () => {
    const fixer = chooseFixer(
      manifest({ '@biomejs/biome': '2.6.8', eslint: '9.0.0', prettier: '3.0.0' }),
      bins('biome', 'eslint', 'prettier'),
    );
    expect(fixer).toEqual({ tool: 'biome', commands: [{ bin: 'biome', args: ['check', '--write', '.'] }] });
    expect(fixer?.commands.flatMap((c) => c.args)).not.toContain('--unsafe');
  });

  it('runs ESLint fixes and then Prettier, else either alone', () => {
    expect(chooseFixer(manifest({ eslint: '9.0.0', prettier: '3.0.0' }), bins('eslint', 'prettier'))).toEqual(
      {
        tool: 'eslint+prettier',
        commands: [
          { bin: 'eslint', args: ['--fix', '.'] },
          { bin: 'prettier', args: ['--write', '.'] },
        ],
      },
    );
    expect(chooseFixer(manifest({ eslint: '9.0.0' }), bins('eslint'))?.tool).toBe('eslint');
    expect(chooseFixer(manifest({}, { prettier: '3.0.0' }), bins('prettier'))?.tool).toBe('prettier');
  });

  it('runs only a tool the app both declares and has installed', () => {
    // Installed as some other package's dependency: not the app's tool, not its configuration.
    expect(chooseFixer(manifest({}), bins('biome', 'eslint', 'prettier'))).toBeUndefined();
    // Declared but not installed: nothing is downloaded.
    expect(chooseFixer(manifest({ '@biomejs/biome': '2.6.8' }), bins())).toBeUndefined();
    expect(
      chooseFixer(manifest({ '@biomejs/biome': '2.6.8', prettier: '3.0.0' }), bins('prettier'))?.tool,
    ).toBe('prettier');
    expect(chooseFixer(manifest({ eslint: '9.0.0', prettier: '3.0.0' }), bins('eslint'))?.tool).toBe(
      'eslint',
    );
  });

  it('treats an unreadable package.json as declaring nothing', () => {
    expect(chooseFixer('{ not json', bins('biome'))).toBeUndefined();
    expect(chooseFixer('{"devDependencies": ["@biomejs/biome"]}', bins('biome'))).toBeUndefined();
  });
});
