import net from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../../tests/helpers/test-env.js';
import { redisCheck } from './redis.js';

/**
 * ioredis 6's disconnect() arms a 2 s timer (not unref'd) to destroy a socket that already closed
 * when the connection was refused; shorten it so jest can exit.
 */
const DOWN_CLIENT = { host: '127.0.0.1', disconnectTimeout: 50 };

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('redisCheck', () => {
  const clients: Redis[] = [];
  const track = (c: Redis) => {
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };

  afterAll(async () => {
    for (const c of clients) c.disconnect();
  });

  it('passes on a real Redis, connected or yet to connect (lazyConnect)', async () => {
    const lazy = track(new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 }));
    expect(lazy.status).toBe('wait');
    await expect(redisCheck(lazy)()).resolves.toBeUndefined();
    expect(lazy.status).toBe('ready');
    await expect(redisCheck(lazy)()).resolves.toBeUndefined();
  });

  it('fails when Redis is down (lazy client, bounded retries)', async () => {
    const down = track(
      new Redis({
        ...DOWN_CLIENT,
        port: await closedPort(),
        lazyConnect: true,
        maxRetriesPerRequest: 1,
      }),
    );
    const started = Date.now();
    await expect(redisCheck(down)()).rejects.toThrow(/\S/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails at once on a client retrying forever (BullMQ-style maxRetriesPerRequest: null)', async () => {
    const down = track(new Redis({ ...DOWN_CLIENT, port: await closedPort(), maxRetriesPerRequest: null }));
    // Let the first connection attempt fail so the client is in its retry loop.
    await new Promise<void>((resolve) => down.once('error', () => resolve()));
    const started = Date.now();
    await expect(redisCheck(down)()).rejects.toThrow(/Redis connection is (reconnecting|connecting|close)/);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
