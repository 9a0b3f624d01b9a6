import { describe, expect, it } from '@jest/globals';
import { SpecSchema } from '../../../core/domain/spec.js';
import { APP_PARTS, renderApp, renderAppPart } from './index.js';
import { projectTrackerSpec, recipeBoxSpec } from './sample-specs.js';

describe('renderApp', () => {
  it('is deterministic: the same spec gives byte-identical files in the same order', () => {
    const first = renderApp(projectTrackerSpec);
    const second = renderApp(structuredClone(projectTrackerSpec));
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, content] of first) expect(second.get(path)).toBe(content);
  });

  it('splits files into disjoint parts whose union is the app', () => {
    const seen = new Map<string, string>();
    for (const part of APP_PARTS) {
      for (const path of renderAppPart(projectTrackerSpec, part).keys()) {
        expect({ path, owner: seen.get(path) }).toEqual({ path, owner: undefined });
        seen.set(path, part);
      }
    }
    expect([...seen.keys()].sort()).toEqual([...renderApp(projectTrackerSpec).keys()]);
  });

  it('writes only relative POSIX paths', () => {
    for (const path of renderApp(projectTrackerSpec).keys()) {
      expect(path).toMatch(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/);
      expect(path.split('/')).not.toContain('..');
    }
  });

  it.each([
    ['projectTracker', projectTrackerSpec],
    ['recipeBox', recipeBoxSpec],
  ])('gives every entity of %s a route, a repository, UI and tests', (_name, spec) => {
    const files = renderApp(spec);
    for (const entity of spec.entities) {
      const kebab = entity.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
      for (const path of [
        `src/shared/entities/${kebab}.ts`,
        `src/server/entities/${kebab}/router.ts`,
        `src/server/entities/${kebab}/repository.ts`,
        `src/client/api/${kebab}.ts`,
        `src/client/entities/${kebab}/${kebab}-list.tsx`,
        `src/client/entities/${kebab}/${kebab}-form.tsx`,
        `src/client/entities/${kebab}/${kebab}-page.tsx`,
        `tests/entities/${kebab}.api.test.ts`,
        `tests/entities/${kebab}.ui.test.tsx`,
      ]) {
        expect(files.has(path)).toBe(true);
      }
      expect(files.get('src/server/app.ts')).toContain(`create${entity.name}Router(db)`);
    }
  });

  it('includes auth only when the spec asks for it', () => {
    expect(renderApp(projectTrackerSpec).has('src/server/auth/router.ts')).toBe(true);
    expect(renderApp(recipeBoxSpec).has('src/server/auth/router.ts')).toBe(false);
    expect(renderApp(recipeBoxSpec).get('src/server/app.ts')).not.toContain('requireAuth');
  });

  it('has the scripts, lockfile and CI the validator and GitHub Actions run', () => {
    const files = renderApp(recipeBoxSpec);
    const pkg = JSON.parse(files.get('package.json') ?? '{}') as {
      name: string;
      scripts: Record<string, string>;
    };
    const lock = JSON.parse(files.get('package-lock.json') ?? '{}') as {
      name: string;
      packages: Record<string, { name?: string }>;
    };
    expect(pkg.name).toBe('recipe-box');
    expect(Object.keys(pkg.scripts)).toEqual(
      expect.arrayContaining(['dev', 'build', 'start', 'lint', 'typecheck', 'test']),
    );
    expect(lock.name).toBe('recipe-box');
    expect(lock.packages['']?.name).toBe('recipe-box');
    const ci = files.get('.github/workflows/ci.yml') ?? '';
    for (const step of [
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      'npm run lint',
      'npm run typecheck',
      'npm test',
      'npm run build',
    ]) {
      expect(ci).toContain(step);
    }
  });

  it('escapes hostile spec text in code, HTML and Markdown', () => {
    const hostile = 'x" + process.exit(1) + "`${process.exit(1)}`</script><img src=x onerror=alert(1)>\u2028';
    const spec = SpecSchema.parse({
      ...projectTrackerSpec,
      appName: hostile.slice(0, 60),
      description: hostile,
      entities: projectTrackerSpec.entities.map((entity, index) =>
        index === 0 ? { ...entity, label: hostile.slice(0, 60), pluralLabel: hostile.slice(0, 60) } : entity,
      ),
    });
    const files = renderApp(spec);
    for (const [path, content] of files) {
      if (path === 'package.json' || path === 'package-lock.json') continue;
      expect({ path, breakout: content.includes('</script><img') }).toEqual({ path, breakout: false });
      expect({ path, injection: content.includes('" + process.exit(1) + "') }).toEqual({
        path,
        injection: false,
      });
      if (/\.(ts|tsx)$/.test(path)) {
        expect({ path, template: content.includes('`${process.exit(1)}`') }).toEqual({
          path,
          template: false,
        });
      }
    }
    const app = files.get('src/client/app.tsx') ?? '';
    const literal = /export const APP_NAME = (".*");/.exec(app)?.[1] ?? '';
    expect(JSON.parse(literal)).toBe(hostile.slice(0, 60));
    expect(files.get('index.html')).toContain('&lt;/script&gt;&lt;img');
    expect(JSON.parse(files.get('package.json') ?? '{}').description).toBe(hostile);
  });
});

describe('derived values', () => {
  it('are computed by one endpoint only in apps whose spec names some', () => {
    const plain = renderApp(recipeBoxSpec);
    expect([...plain.keys()].filter((path) => path.includes('derived'))).toEqual([]);
    expect(plain.get('src/server/app.ts')).not.toContain('derived-values');

    const tracker = renderApp(projectTrackerSpec);
    expect(tracker.get('src/server/app.ts')).toContain(
      "app.use('/api/derived-values', createDerivedValuesRouter(db));",
    );
    expect(tracker.get('src/client/home.tsx')).toContain('<DerivedValuesCard />');
    for (const path of ['tests/api/derived-values.test.ts', 'tests/ui/derived-values.test.tsx'])
      expect(tracker.has(path)).toBe(true);
  });

  it('turns each value into one SQL statement: money in cents, periods, flags against today', () => {
    const compute = renderApp(projectTrackerSpec).get('src/server/derived/compute.ts') ?? '';
    expect(compute).toContain(
      'budgetPerMonth: grouped(db, "SELECT substr(starts_on, 1, 7) AS group_key, SUM(budget) AS result FROM projects GROUP BY group_key", 100)',
    );
    expect(compute).toContain(
      'tasksPerProject: grouped(db, "SELECT project_id AS group_key, COUNT(*) AS result FROM tasks GROUP BY group_key")',
    );
    // dueAt is a datetime: compared with the current instant, not the date
    expect(compute).toContain(
      'overdue: flagged(db, "SELECT id FROM tasks WHERE due_at < ? ORDER BY id", now())',
    );
  });

  it('badges flagged rows in the list of the flagged entity only', () => {
    const files = renderApp(projectTrackerSpec);
    expect(files.get('src/client/entities/task/task-list.tsx')).toContain(
      '{derivedValues.data?.flags.overdue.includes(task.id) && <span className="badge flag">{DERIVED_LABELS.overdue}</span>}',
    );
    expect(files.get('src/client/entities/project/project-list.tsx')).not.toContain('derivedValues');
  });
});
