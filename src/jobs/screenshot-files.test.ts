import { describe, expect, it } from '@jest/globals';
import { decodeFileContent, type RepositoryRef } from '../core/ports/forge.js';
import { githubImageUrl } from '../adapters/github/forge/github-forge.js';
import { screenshotRows, withScreenshots } from './screenshot-files.js';

const png = (byte: number) => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, byte]);
const shot = (name: string, viewport: 'desktop' | 'phone', byte = 1) => ({
  file: `${name}-${viewport}.png`,
  name,
  viewport,
  png: png(byte),
});

describe('withScreenshots', () => {
  it("replaces the previous round's screenshots, so an iteration never keeps a stale one", () => {
    const before = new Map([
      ['src/app.ts', 'code'],
      ['.autonoma/screenshots/home-desktop.png', 'old'],
      ['.autonoma/screenshots/recipes-desktop.png', 'old'],
    ]);
    const after = withScreenshots(before, [shot('home', 'desktop', 9)]);
    expect([...after.keys()].sort()).toEqual(['.autonoma/screenshots/home-desktop.png', 'src/app.ts']);
    expect([...decodeFileContent(after.get('.autonoma/screenshots/home-desktop.png')!).bytes]).toEqual([
      ...png(9),
    ]);
  });

  it('drops a screenshot whose name could escape the folder', () => {
    const after = withScreenshots(new Map(), [
      { ...shot('home', 'desktop'), file: '../../etc/x-desktop.png' },
    ]);
    expect(after.size).toBe(0);
  });
});

describe('screenshotRows', () => {
  const repo: RepositoryRef = {
    forge: 'github',
    fullName: 'acme/recipe-box',
    location: 'https://github.com/acme/recipe-box',
    defaultBranch: 'main',
  };
  it('gives one row per page, home first, with GitHub blob URLs that redirect to the raw image', () => {
    const rows = screenshotRows(
      { imageUrl: githubImageUrl },
      repo,
      'autonoma/recipe-box',
      [
        shot('home', 'desktop'),
        shot('home', 'phone'),
        shot('meal-plans', 'desktop'),
        shot('created', 'desktop'),
      ],
      ['Meal plans'],
    );
    expect(rows).toEqual([
      {
        page: 'Home',
        desktop:
          'https://github.com/acme/recipe-box/blob/autonoma/recipe-box/.autonoma/screenshots/home-desktop.png?raw=true',
        phone:
          'https://github.com/acme/recipe-box/blob/autonoma/recipe-box/.autonoma/screenshots/home-phone.png?raw=true',
      },
      {
        page: 'Meal plans',
        desktop:
          'https://github.com/acme/recipe-box/blob/autonoma/recipe-box/.autonoma/screenshots/meal-plans-desktop.png?raw=true',
      },
      {
        page: 'After creating a record through the UI',
        desktop:
          'https://github.com/acme/recipe-box/blob/autonoma/recipe-box/.autonoma/screenshots/created-desktop.png?raw=true',
      },
    ]);
  });
});
