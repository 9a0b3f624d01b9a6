import type { Logger } from '../../core/logger.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { Inbox } from '../../core/ports/inbox.js';
import type { SlackConfig } from './access.js';
import type { Dedupe } from './dedupe.js';

/** What every inbound handler needs; the WebClient comes with each Bolt call. */
export interface HandlerDeps {
  config: SlackConfig;
  service: GenerationService;
  /** Where builds go after the ack (the worker tier posts the thread and submits the job). */
  inbox: Inbox;
  dedupe: Dedupe;
  logger: Logger;
}
