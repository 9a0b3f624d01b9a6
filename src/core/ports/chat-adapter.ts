import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProgressEvent } from '../domain/progress.js';
import type { GenerationRequest, Platform } from '../domain/request.js';

/** A plain Node HTTP handler; the HTTP server mounts it at `path` (express accepts these as is). */
export interface InboundRoute {
  path: string;
  handler: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
}

/**
 * A chat platform as core sees it: the routes its webhooks arrive on, and how a request's progress is
 * reflected in the thread the request came from. Long-lived connections (Slack Socket Mode, the
 * Discord gateway) are started and stopped with the server.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  readonly routes?: InboundRoute[];
  /** Update the request's thread for this event (edit the status message, post milestone replies). */
  replyProgress(request: GenerationRequest, event: ProgressEvent): Promise<void>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
