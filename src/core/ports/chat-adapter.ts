import type { ProgressEvent } from '../domain/progress.js';
import type { GenerationRequest, Platform } from '../domain/request.js';

/**
 * A chat platform as core sees it. Inbound webhooks are mounted by the adapter itself; core only asks
 * it to reflect a request's progress in the thread the request came from.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  /** Update the request's thread for this event (edit the status message, post milestone replies). */
  replyProgress(request: GenerationRequest, event: ProgressEvent): Promise<void>;
}
