import { describe, expect, it } from '@jest/globals';
import type { JobResult } from '../../core/domain/request.js';
import { buildRequest } from '../../../tests/helpers/pipeline-fixtures.js';
import { resultText } from './render-result.js';

const result: JobResult = {
  requestId: '00000000-0000-4000-8000-000000000001',
  appName: 'Recipe Box',
  slug: 'recipe-box',
  entities: ['Recipe'],
  files: 70,
  repository: { forge: 'github', name: 'acme/recipe-box', location: 'https://github.com/acme/recipe-box' },
  branch: 'autonoma/recipe-box',
  pullRequest: { number: 7, url: 'https://github.com/acme/recipe-box/pull/7', title: 'Recipe Box' },
  validation: { ok: true, syntax: { ok: true, durationMs: 1 }, repairRounds: 0 },
  timingsMs: {},
  tokens: { input: 0, output: 0 },
  costUsd: 0,
  reviewSummary: '',
};

describe('resultText', () => {
  it("says what the app's own fixer fixed, only when it fixed something", () => {
    const autofix = { ok: true, durationMs: 300, tool: 'biome', files: ['src/a.ts', 'src/b.ts'] };
    const fixed = resultText(
      buildRequest('a recipe box', {
        status: 'succeeded',
        result: { ...result, validation: { ...result.validation!, autofix } },
      }),
    );
    expect(fixed).toContain('\n  Autofix (biome): 2 files fixed — no repair round needed\n  Request id: ');
    const none = { ...autofix, files: [] };
    expect(
      resultText(
        buildRequest('a recipe box', {
          status: 'succeeded',
          result: { ...result, validation: { ...result.validation!, autofix: none } },
        }),
      ),
    ).not.toContain('Autofix');
  });
});
