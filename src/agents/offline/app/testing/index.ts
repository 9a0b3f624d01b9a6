import { lines } from '../code.js';
import type { AppModel } from '../model.js';
import { renderApiTest, renderUiTest } from './entity-tests.js';
import { starterFile } from '../../../starter/shared-files.js';
import { renderDerivedApiTest, renderDerivedUiTest } from './derived-tests.js';
import { renderContext, renderFetchStub, renderFixtures } from './helpers.js';

export function renderTestingPart(model: AppModel): Map<string, string> {
  const files = new Map<string, string>([
    ['vitest.config.ts', starterFile('vitest.config.ts')],
    ['tests/setup.ts', starterFile('tests/setup.ts')],
    ['tests/helpers/context.ts', renderContext(model)],
    ['tests/helpers/fixtures.ts', renderFixtures(model)],
    ['tests/helpers/fetch-stub.ts', renderFetchStub(model)],
    ['tests/api/health.test.ts', HEALTH_TEST_TS],
    ['tests/ui/app.test.tsx', APP_UI_TEST_TSX],
    ['tests/ui/home.test.tsx', renderHomeTest(model)],
  ]);
  for (const entity of model.entities) {
    files.set(`tests/entities/${entity.kebab}.api.test.ts`, renderApiTest(model, entity));
    files.set(`tests/entities/${entity.kebab}.ui.test.tsx`, renderUiTest(model, entity));
  }
  if (model.derived.length > 0) {
    files.set('tests/api/derived-values.test.ts', renderDerivedApiTest(model));
    files.set('tests/ui/derived-values.test.tsx', renderDerivedUiTest(model));
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

/** The home page: an empty state per entity, and "New" opens that entity's form. */
function renderHomeTest(model: AppModel): string {
  const first = model.entities[0];
  if (!first) throw new Error('a spec has at least one entity');
  return lines(
    '// @vitest-environment happy-dom',
    "import { fireEvent, render, screen } from '@testing-library/react';",
    "import { describe, expect, it, vi } from 'vitest';",
    "import { HomePage } from '../../src/client/home';",
    `import { ${first.camel}Labels } from '../../src/shared/entities/${first.kebab}';`,
    "import { stubFetch } from '../helpers/fetch-stub';",
    '',
    "describe('HomePage', () => {",
    "  it('invites the first record of every entity while there are none', async () => {",
    '    stubFetch();',
    '    render(<HomePage onOpen={vi.fn()} />);',
    '    const empty = await screen.findAllByText(/^No .* yet — add the first one\\.$/);',
    `    expect(empty).toHaveLength(${model.entities.length});`,
    '  });',
    '',
    `  it('opens the ${first.camel} form from its "New" button', () => {`,
    '    stubFetch();',
    '    const onOpen = vi.fn();',
    '    render(<HomePage onOpen={onOpen} />);',
    `    fireEvent.click(screen.getAllByRole('button', { name: \`New \${${first.camel}Labels.singular}\` })[0] as HTMLElement);`,
    `    expect(onOpen).toHaveBeenCalledWith('${first.plural}', true);`,
    '  });',
    '});',
    '',
  );
}

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
