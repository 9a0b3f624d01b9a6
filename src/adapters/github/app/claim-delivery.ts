import { DEDUPE_TTL_SECONDS, redisKey, type GitHubAppContext } from './app-context.js';

/**
 * Runs `handle` once per X-GitHub-Delivery: a redelivery of a delivery that was handled is ignored. A
 * failed delivery gives its claim back, so GitHub's "Redeliver" button can try it again.
 */
export async function oncePerDelivery(
  app: GitHubAppContext,
  deliveryId: string,
  handle: () => Promise<void>,
): Promise<'handled' | 'duplicate'> {
  const key = redisKey(app, 'delivery', deliveryId);
  const claimed = await app.redis.set(key, new Date().toISOString(), 'EX', DEDUPE_TTL_SECONDS, 'NX');
  if (claimed !== 'OK') return 'duplicate';
  try {
    await handle();
    return 'handled';
  } catch (error) {
    await app.redis.del(key).catch(() => undefined);
    throw error;
  }
}
