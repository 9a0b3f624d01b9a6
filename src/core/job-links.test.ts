import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from './config.js';
import { createJobLinks, LINK_SECRET_FILE, resolveLinkSecret } from './job-links.js';

const ID = '6f1c2a9e-3b7d-4c1e-9a55-0d3f4e5a6b7c';
const OTHER = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const SECRET = 'x'.repeat(40);
const DAY = 24 * 3600 * 1000;
const now = new Date('2026-12-03T12:00:00Z');

describe('job links', () => {
  const links = createJobLinks({ secret: SECRET, publicUrl: 'https://autonoma.example.com', ttlMs: 7 * DAY });

  it('accepts its own link until it expires, then says expired', () => {
    const token = links.sign(ID, now);
    expect(links.verify(ID, token, now)).toBe('ok');
    expect(links.verify(ID, token, new Date(now.getTime() + 7 * DAY - 2000))).toBe('ok');
    expect(links.verify(ID, token, new Date(now.getTime() + 7 * DAY + 3600_000 + 1000))).toBe('expired');
    // Rounded up to the hour: the same link for a retry within the hour.
    expect(links.sign(ID, new Date(now.getTime() + 1000))).toBe(
      links.sign(ID, new Date(now.getTime() + 59 * 60_000)),
    );
  });

  it('refuses a token for another job, another secret, a moved expiry or garbage as forged', () => {
    const token = links.sign(ID, now);
    expect(links.verify(OTHER, token, now)).toBe('forged');
    const other = createJobLinks({ secret: 'y'.repeat(40), publicUrl: 'http://x', ttlMs: DAY });
    expect(other.verify(ID, token, now)).toBe('forged');
    const [expiry, mac] = token.split('.') as [string, string];
    expect(links.verify(ID, `${Number(expiry) + 3600}.${mac}`, now)).toBe('forged');
    // An expired link whose expiry was pushed forward is forged, not renewed.
    const later = new Date(now.getTime() + 8 * DAY);
    expect(links.verify(ID, `${Number(expiry) + 30 * 86400}.${mac}`, later)).toBe('forged');
    for (const bad of [
      undefined,
      '',
      'abc',
      `${expiry}.`,
      `${expiry}.${mac}x`,
      `-1.${mac}`,
      `${expiry}.${'A'.repeat(43)}`,
    ])
      expect(links.verify(ID, bad, now)).toBe('forged');
  });

  it('builds the page URL under the public URL, keeping a path prefix', () => {
    const url = new URL(links.url(ID, now));
    expect(`${url.origin}${url.pathname}`).toBe(`https://autonoma.example.com/jobs/${ID}`);
    expect(links.verify(ID, url.searchParams.get('t') ?? '', now)).toBe('ok');
    const prefixed = createJobLinks({ secret: SECRET, publicUrl: 'https://h.example/autonoma', ttlMs: DAY });
    expect(new URL(prefixed.url(ID)).pathname).toBe(`/autonoma/jobs/${ID}`);
  });
});

describe('resolveLinkSecret', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'autonoma-links-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the configured secret and writes nothing', async () => {
    expect(await resolveLinkSecret({ secret: SECRET, dataDir: dir })).toBe(SECRET);
    await expect(stat(path.join(dir, LINK_SECRET_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('creates one private secret once and reuses it, also when processes race', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => resolveLinkSecret({ dataDir: path.join(dir, 'data') })),
    );
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, 'data', LINK_SECRET_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(results[0]);
    expect(await resolveLinkSecret({ dataDir: path.join(dir, 'data') })).toBe(results[0]);
  });

  it('refuses a truncated secret file with what to do', async () => {
    await writeFile(path.join(dir, LINK_SECRET_FILE), 'short\n');
    await expect(resolveLinkSecret({ dataDir: dir })).rejects.toThrow(/AUTONOMA_LINK_SECRET/);
  });
});

describe('job link configuration', () => {
  it('defaults to the local server and seven days, and prefers AUTONOMA_PUBLIC_URL', () => {
    expect(loadConfig({}, { PORT: '4100' }).jobLinks).toEqual({
      publicUrl: 'http://127.0.0.1:4100',
      secret: undefined,
      ttlMs: 7 * DAY,
    });
    expect(loadConfig({}, { PUBLIC_URL: 'https://a.example' }).jobLinks.publicUrl).toBe('https://a.example');
    expect(
      loadConfig({}, { PUBLIC_URL: 'https://a.example', AUTONOMA_PUBLIC_URL: 'https://b.example' }).jobLinks
        .publicUrl,
    ).toBe('https://b.example');
    expect(loadConfig({}, { AUTONOMA_LINK_TTL_HOURS: '2' }).jobLinks.ttlMs).toBe(2 * 3600 * 1000);
  });

  it('treats the link secret as a secret: redacted, never echoed, too short refused', () => {
    expect(loadConfig({}, { AUTONOMA_LINK_SECRET: SECRET }).secrets).toContain(SECRET);
    let message = '';
    try {
      loadConfig({}, { AUTONOMA_LINK_SECRET: 'tooshort-secret-value' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/AUTONOMA_LINK_SECRET: must be at least 32 characters/);
    expect(message).not.toContain('tooshort-secret-value');
  });
});
