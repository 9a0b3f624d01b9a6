import { describe, expect, it } from '@jest/globals';
import { compileGlob } from './glob.js';

describe('compileGlob', () => {
  it.each([
    ['*.ts', 'src/a/b.ts', true],
    ['*.ts', 'src/a/b.tsx', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/a/b.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/**', 'src/a/b/c.ts', true],
    ['**/test/*.ts', 'test/a.ts', true],
    ['*.{ts,tsx}', 'a/b.tsx', true],
    ['*.{ts,tsx}', 'a/b.js', false],
    ['?.json', 'a.json', true],
    ['?.json', 'ab.json', false],
    ['a.b', 'axb', false],
  ])('%s matches %s: %s', (glob, file, expected) => {
    expect(compileGlob(glob)(file)).toBe(expected);
  });

  it('stays fast on globs that would backtrack badly as a RegExp', () => {
    const started = performance.now();
    expect(compileGlob('*a*a*a*a*a*a*a*a*a*b')(`${'a'.repeat(200)}`)).toBe(false);
    expect(compileGlob('**/**/**/**/**/**/x')('a/'.repeat(100) + 'y')).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
