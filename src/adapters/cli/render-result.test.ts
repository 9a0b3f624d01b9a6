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

  it('says where the screenshots are and what the browser found', () => {
    const look = {
      ok: false,
      durationMs: 9000,
      problems: ['The browser console showed 1 error(s).'],
      sections: ['Recipes'],
      screenshots: [],
      consoleErrors: ['boom'],
      smoke: { ok: true, detail: 'created "Smoke 1234" in Recipes' },
    };
    const text = resultText(
      buildRequest('a recipe box', {
        status: 'succeeded',
        result: {
          ...result,
          repository: { forge: 'local', name: 'recipe-box', location: '/srv/repos/recipe-box' },
          validation: { ...result.validation!, look },
          screenshots: [
            {
              file: 'home-desktop.png',
              url: '/srv/repos/recipe-box.screenshots/autonoma-recipe-box/home-desktop.png',
            },
            {
              file: 'home-phone.png',
              url: '/srv/repos/recipe-box.screenshots/autonoma-recipe-box/home-phone.png',
            },
          ],
        },
      }),
    );
    expect(text).toContain('\n  Screenshots: 2 in /srv/repos/recipe-box.screenshots/autonoma-recipe-box\n');
    expect(text).toContain('\n  Smoke check: created "Smoke 1234" in Recipes\n');
    expect(text).toContain('\n  ⚠ The browser console showed 1 error(s).\n');
  });
});
