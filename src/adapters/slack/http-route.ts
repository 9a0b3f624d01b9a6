import { HTTPReceiverDeferredRequestError, type HTTPReceiver } from '@slack/bolt';
import type { InboundRoute } from '../../core/ports/chat-adapter.js';

/**
 * Bolt's HTTP receiver as a route of our HTTP server. Express strips the mount path, so the
 * receiver answers on `/` (mounted) as well as on the full path (unmounted). Anything Bolt does not
 * handle (a GET, another path) goes on to the server's 404.
 */
export function slackEventsRoute(receiver: HTTPReceiver, path: string): InboundRoute {
  return {
    path,
    handler(req, res, next) {
      try {
        receiver.requestListener(req, res);
      } catch (error) {
        if (error instanceof HTTPReceiverDeferredRequestError) next();
        else next(error);
      }
    },
  };
}
