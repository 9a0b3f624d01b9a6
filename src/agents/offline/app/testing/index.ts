import { lines } from '../code.js';
import type { AppModel } from '../model.js';
import { renderApiTest, renderUiTest } from './entity-tests.js';
import { FETCH_STUB_TS, renderContext, renderFixtures, SETUP_TS, VITEST_CONFIG_TS } from './helpers.js';

export function renderTestingPart(model: AppModel): Map<string, string> {
  const files = new Map<string, string>([
    ['vitest.config.ts', VITEST_CONFIG_TS],
    ['tests/setup.ts', SETUP_TS],
    ['tests/helpers/context.ts', renderContext(model)],
    ['tests/helpers/fixtures.ts', renderFixtures(model)],
    ['tests/helpers/fetch-stub.ts', FETCH_STUB_TS],
    ['tests/api/health.test.ts', HEALTH_TEST_TS],
    ['tests/ui/app.test.tsx', APP_UI_TEST_TSX],
  ]);
  for (const entity of model.entities) {
    files.set(`tests/entities/${entity.kebab}.api.test.ts`, renderApiTest(model, entity));
    files.set(`tests/entities/${entity.kebab}.ui.test.tsx`, renderUiTest(model, entity));
  }
  return files;
}

const HEALTH_TEST_TS = lines(
  "import { describe, expect, it } from 'vitest';",
  "import { createTestContext } from '../helpers/context';",
  '',
  "describe('GET /api/health', () => {",
  "  it('answers ok', async () => {",
  '    const ctx = await createTestContext();',
  "    const res = await ctx.get('/api/health').expect(200);",
  "    expect(res.body).toEqual({ status: 'ok' });",
  '    ctx.close();',
  '  });',
  '});',
  '',
);

/** The app shell (or its sign-in screen, with auth) renders under the app's name. */
const APP_UI_TEST_TSX = lines(
  '// @vitest-environment happy-dom',
  "import { render, screen } from '@testing-library/react';",
  "import { describe, expect, it } from 'vitest';",
  "import { APP_NAME, App } from '../../src/client/app';",
  "import { stubFetch } from '../helpers/fetch-stub';",
  '',
  "describe('App', () => {",
  "  it('shows the app name', async () => {",
  '    stubFetch();',
  '    render(<App />);',
  "    expect(await screen.findByRole('heading', { level: 1, name: APP_NAME })).toBeTruthy();",
  '  });',
  '});',
  '',
);
