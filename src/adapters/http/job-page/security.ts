import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

/**
 * Headers for every job page response. The page runs only its own inline script and style (by
 * nonce) and talks, posts and frames only this server; the link's token is in the URL, so no Referer leaves the
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
      // The live preview: framed from this server (its own CSP sandboxes it), started by a form.
      "frame-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
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
