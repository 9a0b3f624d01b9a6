import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

/**
 * Headers for every job page response. The page runs only its own inline script and style (by
 * nonce) and talks only to this server; the link's token is in the URL, so no Referer leaves the
 * page and nothing is cached on the way.
 */
export function setPageHeaders(res: Response): string {
  const nonce = randomBytes(16).toString('base64');
  res.set({
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'self'",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  });
  return nonce;
}

/** Headers for bytes served from a job (screenshots): never sniffed, never framed, not shared. */
export function setAssetHeaders(res: Response, contentType: string): void {
  res.set({
    'Content-Type': contentType,
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'private, max-age=300',
  });
}
