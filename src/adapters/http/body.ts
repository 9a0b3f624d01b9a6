import express, { type RequestHandler } from 'express';

/*
 * Body parsers are applied per route, never globally: adapters must verify signatures over the
 * exact bytes received, and a global parser would consume the stream first. A body over `limit`
 * becomes a 413 through the error handler.
 */

/** Parses `application/json` bodies into `req.body`. */
export function jsonBody(limit: string): RequestHandler {
  return express.json({ limit });
}

/** Parses `application/x-www-form-urlencoded` bodies (flat, no nested objects) into `req.body`. */
export function formBody(limit: string): RequestHandler {
  return express.urlencoded({ limit, extended: false });
}

/** Reads any body, whatever its content type, into `req.body` as a Buffer (for signature checks). */
export function rawBody(limit: string): RequestHandler {
  return express.raw({ limit, type: () => true });
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** '512kb' / '1mb' (the REQUEST_BODY_LIMIT format) in bytes. */
export function limitInBytes(limit: string): number {
  const match = /^(\d+)\s*(b|kb|mb)$/i.exec(limit.trim());
  if (!match) throw new Error(`Not a size limit: ${JSON.stringify(limit)} (use e.g. 512kb or 1mb).`);
  return Number(match[1]) * (UNITS[match[2]!.toLowerCase()] as number);
}

/**
 * Refuses a request whose declared Content-Length is past the limit before any route reads a byte,
 * and closes the connection rather than draining the body (body-parser would read it all first).
 * Streamed bodies without a length are bounded by each route's parser and the server's request timeout.
 */
export function declaredSizeGuard(limit: string): RequestHandler {
  const max = limitInBytes(limit);
  return (req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!Number.isFinite(declared) || declared <= max) {
      next();
      return;
    }
    res.setHeader('connection', 'close');
    res.status(413).json({
      error: {
        code: 'payload_too_large',
        message: `The request body is ${declared} bytes; this server accepts at most ${limit}.`,
        requestId: req.id,
      },
    });
    // Stop reading: whatever else the client sends is not wanted.
    res.on('finish', () => req.destroy());
  };
}
