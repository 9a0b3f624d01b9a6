import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SANDBOX_IMAGE } from '../../../sandbox/docker-sandbox.js';
import { renderAppPart } from '../index.js';
import { recipeBoxSpec } from '../sample-specs.js';
import { APP_NODE_END_OF_LIFE, APP_NODE_MAJOR } from './node-lts.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..', '..', '..');

describe('the Node line generated apps and Autonoma run on', () => {
  it('is an LTS line still maintained today (Node 20 ended in April 2026)', () => {
    expect(APP_NODE_MAJOR % 2).toBe(0);
    expect(APP_NODE_MAJOR).toBeGreaterThan(20);
    expect(new Date(`${APP_NODE_END_OF_LIFE}T00:00:00Z`).getTime()).toBeGreaterThan(Date.now());
  });

  it('is what the generated Dockerfile, .nvmrc and CI workflow use', () => {
    const files = renderAppPart(recipeBoxSpec, 'deployment');
    expect(files.get('.nvmrc')).toBe(`${APP_NODE_MAJOR}\n`);
    const stages = [...(files.get('Dockerfile') ?? '').matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThan(0);
    for (const image of stages) expect(image).toBe(`node:${APP_NODE_MAJOR}-alpine`);
    const workflow = parseYaml(files.get('.github/workflows/ci.yml') ?? '') as {
      jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
    };
    const setupNode = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .find((step) => step.uses?.startsWith('actions/setup-node'));
    expect(setupNode?.with).toMatchObject({ 'node-version-file': '.nvmrc' });
  });

  it("is Autonoma's own image and the docker sandbox's default image", async () => {
    const dockerfile = await readFile(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${APP_NODE_MAJOR}-`, 'm'));
    expect(DEFAULT_SANDBOX_IMAGE).toMatch(new RegExp(`^node:${APP_NODE_MAJOR}-`));
    const compose = await readFile(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).not.toMatch(/node:(1\d|20)\b/);
  });
});
