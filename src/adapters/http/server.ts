import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { bindRequestClasses } from './request-classes.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** How long `close()` lets in-flight requests finish before cutting connections. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** Time to receive a whole request, headers and body (a slow sender is cut off). Default 30 s. */
  requestTimeoutMs?: number;
}

export interface HttpServerHandle {
  /** A URL this process can reach the server on (a wildcard host becomes loopback). */
  url: string;
  server: http.Server;
  /** Stops accepting, lets in-flight requests finish (bounded), then resolves. Safe to call twice. */
  close(): Promise<void>;
}

function reachableUrl(address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

export async function startHttpServer(
  app: express.Express,
  options: HttpServerOptions,
): Promise<HttpServerHandle> {
  const server = http.createServer(bindRequestClasses(app), app);
  // Node's defaults (300 s for a request, 60 s for headers) let a trickling sender hold a socket for
  // minutes; webhooks arrive whole in well under a second.
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(server.requestTimeout, 15_000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = reachableUrl(server.address() as AddressInfo);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  let closing: Promise<void> | undefined;

  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      // Keep-alive sockets go idle as their last response ends: close them as they do.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs);
      sweep.unref();
      deadline.unref();
      server.close((error) => {
        clearInterval(sweep);
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return { url, server, close };
}
