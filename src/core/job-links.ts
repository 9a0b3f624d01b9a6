import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './errors.js';

/**
 * Signed, expiring links to a job's page (`autonoma serve`'s `/jobs/:id?t=…`). The token is
 * `<expiry in Unix seconds>.<HMAC-SHA256 over the request id and that expiry>`, so whoever holds a
 * link can read that one job until it expires, and nobody can make a link for another job or a later
 * expiry without the secret.
 */
export type LinkCheck = 'ok' | 'expired' | 'forged';

export interface JobLinks {
  /** The token for `requestId`, valid for the configured lifetime from `now`. */
  sign(requestId: string, now?: Date): string;
  /** Signature first (a forged link says nothing about its expiry), then the expiry. */
  verify(requestId: string, token: string | undefined, now?: Date): LinkCheck;
  /** The full URL of the job page, token included. */
  url(requestId: string, now?: Date): string;
}

export interface JobLinksOptions {
  secret: string;
  /** Base URL of `autonoma serve` (a path prefix is kept: https://host/autonoma/jobs/…). */
  publicUrl: string;
  ttlMs: number;
}

const HOUR_MS = 3600 * 1000;
const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function createJobLinks(options: JobLinksOptions): JobLinks {
  const mac = (requestId: string, expiry: number) =>
    createHmac('sha256', options.secret).update(`autonoma-job-link:v1\n${requestId}\n${expiry}`).digest();
  const base = options.publicUrl.endsWith('/') ? options.publicUrl : `${options.publicUrl}/`;

  const sign = (requestId: string, now = new Date()) => {
    // Rounded up to the hour: a job retried within the hour signs the same link, so the pull
    // request body it writes again is unchanged rather than updated.
    const expiry = Math.ceil((now.getTime() + options.ttlMs) / HOUR_MS) * (HOUR_MS / 1000);
    return `${expiry}.${mac(requestId, expiry).toString('base64url')}`;
  };

  return {
    sign,
    verify(requestId, token, now = new Date()) {
      const match = token ? TOKEN.exec(token) : null;
      if (!match) return 'forged';
      const expiry = Number(match[1]);
      const given = Buffer.from(match[2] as string, 'base64url');
      const expected = mac(requestId, expiry);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
      return expiry * 1000 > now.getTime() ? 'ok' : 'expired';
    },
    url(requestId, now) {
      const url = new URL(`jobs/${encodeURIComponent(requestId)}`, base);
      url.searchParams.set('t', sign(requestId, now));
      return url.href;
    },
  };
}

export const LINK_SECRET_FILE = 'job-link-secret';

/**
 * The configured secret, or one created once in `dataDir` (mode 0600) and reused, so the worker that
 * signs and the server that verifies on one machine agree without configuration. Written to a
 * temporary file then hard-linked into place: of two processes starting at once, one wins and the
 * other reads the winner's complete file.
 */
export async function resolveLinkSecret(options: { secret?: string; dataDir: string }): Promise<string> {
  if (options.secret) return options.secret;
  const file = path.join(options.dataDir, LINK_SECRET_FILE);
  const existing = await readSecretFile(file);
  if (existing) return existing;
  await mkdir(options.dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(temporary, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600); // the umask may have narrowed it further, never widened: be exact
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  const created = await readSecretFile(file);
  if (!created)
    throw new ConfigError(`Could not read the job link secret at ${file}; set AUTONOMA_LINK_SECRET.`);
  return created;
}

async function readSecretFile(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (text.length < 32)
      throw new ConfigError(
        `The job link secret in ${file} is too short; delete the file (a new one is made) or set AUTONOMA_LINK_SECRET.`,
      );
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
