import type { Logger } from '../../core/logger.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { SlackConfig } from './access.js';
import type { Dedupe } from './dedupe.js';

/** What every inbound handler needs; the WebClient comes with each Bolt call. */
export interface HandlerDeps {
  config: SlackConfig;
  service: GenerationService;
  dedupe: Dedupe;
  logger: Logger;
}
