import { DEDUPE_TTL_MS, stateKey, type GitHubAppContext } from './app-context.js';

/**
 * Runs `handle` once per X-GitHub-Delivery: a redelivery of a delivery that was handled is ignored. A
 * failed delivery gives its claim back, so GitHub's "Redeliver" button can try it again.
 */
export async function oncePerDelivery(
  app: GitHubAppContext,
  deliveryId: string,
  handle: () => Promise<void>,
): Promise<'handled' | 'duplicate'> {
  const key = stateKey('delivery', deliveryId);
  if (!(await app.state.setIfAbsent(key, app.now().toISOString(), DEDUPE_TTL_MS))) return 'duplicate';
  try {
    await handle();
    return 'handled';
  } catch (error) {
    await app.state.delete(key).catch(() => undefined);
    throw error;
  }
}
