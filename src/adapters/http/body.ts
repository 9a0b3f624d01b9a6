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
