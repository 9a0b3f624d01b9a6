import http from 'node:http';
import type { Request, Response } from 'express';
import { jobAccess } from './access.js';
import { html } from './html.js';
import { sendProblem } from './layout.js';
import type { JobPreviews } from './preview-types.js';
import { PREVIEW_SHIM, PREVIEW_SHIM_PATH } from './preview-shim.js';

export interface PreviewProxyOptions {
  previews: Pick<JobPreviews, 'socketOf'>;
  /** Largest request body passed to the app. */
  maxRequestBytes?: number;
  /** Largest response passed back (HTML and CSS, rewritten in memory, at most a quarter of it). */
  maxResponseBytes?: number;
  /** Each request, answer included. */
  timeoutMs?: number;
}

/**
 * The previewed app runs in a sandboxed, opaque origin: it cannot read this server's pages, nor
 * its own parent's, wherever it is opened. It talks only to this server, and only under its prefix.
 */
const PREVIEW_CSP = [
  'sandbox allow-scripts allow-forms allow-modals allow-popups allow-downloads',
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** Request headers an app needs; cookies, forwarding and hop-by-hop headers stay here. */
const REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'authorization',
  'content-type',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'range',
  'x-requested-with',
];
/** Response headers passed back; the app's own CSP, framing, cookies and HSTS are not. */
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'content-disposition',
  'etag',
  'last-modified',
  'vary',
  'www-authenticate',
  'retry-after',
];
const REWRITTEN = /^text\/(html|css)\b/i;
const ALLOWED_REQUEST_HEADERS = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/;

/** The previewed resource's path below the preview's prefix ('' when the prefix has no slash). */
function restOf(req: Request, token: string): { rest: string; search: string } {
  const url = new URL(req.originalUrl, 'http://preview.invalid');
  const marker = `/preview/${token}`;
  const at = url.pathname.indexOf(marker);
  return { rest: url.pathname.slice(at + marker.length), search: url.search };
}

/** './' or '../…': from the resource's directory back to the preview's prefix, whatever mounts this server. */
function relativePrefix(rest: string): string {
  const depth = Math.max(0, rest.split('/').length - 2);
  return depth === 0 ? './' : '../'.repeat(depth);
}

function rewriteHtml(text: string, prefix: string): string {
  const shim = `<script src="${prefix}${PREVIEW_SHIM_PATH}"></script>`;
  const rewritten = text.replace(/(\s(?:src|href|action|poster)\s*=\s*)(["'])\/(?!\/)/gi, `$1$2${prefix}`);
  const head = /<head(\s[^>]*)?>/i.exec(rewritten);
  if (!head) return shim + rewritten;
  const end = head.index + head[0].length;
  return rewritten.slice(0, end) + shim + rewritten.slice(end);
}

function rewriteCss(text: string, prefix: string): string {
  return text.replace(/url\(\s*(["']?)\/(?!\/)/gi, `url($1${prefix}`);
}

function setPreviewHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': PREVIEW_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // The token in the path is the credential; an opaque origin can read only with this.
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'X-Robots-Tag': 'noindex, nofollow',
  });
  if (!res.get('Cache-Control')) res.set('Cache-Control', 'private, no-cache');
}

/**
 * /jobs/:id/preview/:token/*: the job's running preview, through the unix socket its sandbox
 * exposes. Bounded in request size, response size and time; root paths in HTML and CSS are made
 * relative to the prefix, and the shim (preview-shim.ts) does the same for the app's API calls.
 */
export function previewProxy(options: PreviewProxyOptions) {
  const maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024;
  const maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
  const maxRewriteBytes = Math.floor(maxResponseBytes / 4);
  const timeoutMs = options.timeoutMs ?? 30_000;

  return (req: Request, res: Response) => {
    const { request } = jobAccess(res);
    const token = String(req.params.token ?? '');
    const { rest, search } = restOf(req, token);
    if (rest === '') {
      res.redirect(308, `./${encodeURIComponent(token)}/${search}`);
      return;
    }
    const socketPath = options.previews.socketOf(request.id);
    if (!socketPath) {
      sendProblem(
        res,
        404,
        'No preview is running',
        html`Start one from the job page; a preview runs for a limited time.`,
      );
      return;
    }
    if (rest === `/${PREVIEW_SHIM_PATH}`) {
      setPreviewHeaders(res);
      res.type('text/javascript').send(PREVIEW_SHIM);
      return;
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      const asked = String(req.headers['access-control-request-headers'] ?? '');
      setPreviewHeaders(res);
      res.set({
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
        ...(ALLOWED_REQUEST_HEADERS.test(asked) ? { 'Access-Control-Allow-Headers': asked } : {}),
        'Access-Control-Max-Age': '600',
      });
      res.status(204).end();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!Number.isFinite(declared) || declared > maxRequestBytes) {
      sendProblem(
        res,
        413,
        'Request too large',
        `A preview accepts requests of up to ${maxRequestBytes} bytes.`,
      );
      return;
    }
    forward(req, res, { socketPath, path: rest + search, prefix: relativePrefix(rest) });
  };

  function forward(
    req: Request,
    res: Response,
    target: { socketPath: string; path: string; prefix: string },
  ) {
    const headers: http.OutgoingHttpHeaders = { host: 'localhost', 'accept-encoding': 'identity' };
    for (const name of REQUEST_HEADERS)
      if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    if (req.headers['content-length'] !== undefined)
      headers['content-length'] = req.headers['content-length'];
    else if (req.headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = 'chunked';

    let done = false;
    const fail = (status: 413 | 502 | 504, heading: string, detail: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      upstream.destroy();
      if (res.headersSent) res.destroy();
      else sendProblem(res, status, heading, detail);
    };
    const timer = setTimeout(
      () => fail(504, 'The preview took too long', `It did not answer within ${timeoutMs / 1000} s.`),
      timeoutMs,
    );
    const upstream = http.request({
      socketPath: target.socketPath,
      method: req.method,
      path: target.path,
      headers,
    });
    upstream.on('error', () =>
      fail(502, 'The preview did not answer', 'The app may have stopped; start the preview again.'),
    );
    upstream.on('response', (answer) => {
      const type = String(answer.headers['content-type'] ?? '');
      res.status(answer.statusCode ?? 502);
      for (const name of RESPONSE_HEADERS) {
        const value = answer.headers[name];
        if (value !== undefined) res.setHeader(name, value);
      }
      const location = answer.headers.location;
      if (typeof location === 'string')
        res.setHeader('location', /^\/(?!\/)/.test(location) ? target.prefix + location.slice(1) : location);
      if (typeof answer.headers['cache-control'] === 'string')
        res.setHeader('cache-control', answer.headers['cache-control'].replace(/\bpublic\b/gi, 'private'));
      setPreviewHeaders(res);

      let bytes = 0;
      const rewrite = REWRITTEN.test(type) && req.method !== 'HEAD';
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > (rewrite ? maxRewriteBytes : maxResponseBytes)) {
          fail(502, 'The preview answered too much', `Its answers are cut at ${maxResponseBytes} bytes.`);
          return;
        }
        if (rewrite) chunks.push(chunk);
        else if (!res.write(chunk)) {
          answer.pause();
          res.once('drain', () => answer.resume());
        }
      });
      answer.on('end', () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (!rewrite) {
          res.end();
          return;
        }
        const text = Buffer.concat(chunks).toString('utf8');
        const body = /html/i.test(type) ? rewriteHtml(text, target.prefix) : rewriteCss(text, target.prefix);
        res.removeHeader('content-length');
        res.removeHeader('etag'); // the bytes differ from what the app tagged
        res.end(body);
      });
      answer.on('error', () => fail(502, 'The preview stopped answering', 'Reload to try again.'));
    });

    let sent = 0;
    req.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent > maxRequestBytes)
        fail(413, 'Request too large', `A preview accepts requests of up to ${maxRequestBytes} bytes.`);
    });
    req.pipe(upstream);
    res.on('close', () => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        upstream.destroy();
      }
    });
  }
}
