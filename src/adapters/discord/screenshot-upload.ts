import type { Config } from '../../core/config.js';
import type { ProgressEvent } from '../../core/domain/progress.js';
import type { GenerationRequest } from '../../core/domain/request.js';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import {
  shareScreenshotsOnce,
  withShare,
  type SucceededRequest,
} from '../../core/conversation/share-once.js';
import type { ChatAdapter } from '../../core/ports/chat-adapter.js';
import {
  isUploadableScreenshot,
  type ReadScreenshots,
  type ScreenshotImage,
} from '../../core/ports/screenshots.js';
import type { StateStore } from '../../core/ports/state-store.js';
import { createDiscordApi, createDiscordRest } from './discord-api.js';
import { createInteractionTokens } from './interaction-tokens.js';
import { postToJob } from './post-to-job.js';
import { ATTACHMENT_LIMITS, screenshotLinksMessages, screenshotsMessage } from './messages.js';

export interface DiscordScreenshotDeps {
  config: Config['discord'];
  /** Holds the once-per-result claims (and the interaction tokens), shared by every replica. */
  state: StateStore;
  read: ReadScreenshots;
  logger: Logger;
  /** Images per job. Default 4: a thread message, not a gallery (the pull request has them all). */
  maxFiles?: number;
  /** Per image. Default 4 MiB, the most the look step keeps. */
  maxBytes?: number;
}

/** Room under a message's byte limit for the JSON part and the multipart framing. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * The Discord adapter, plus: when a job succeeds, its screenshots are attached to one last message in
 * the job's thread (the first shown in an embed), once per job result (a re-sent final event or a
 * second replica finds the claim taken). Iterations are results of their own and attach theirs.
 */
export function withDiscordScreenshots<A extends ChatAdapter>(adapter: A, deps: DiscordScreenshotDeps): A {
  return withShare(adapter, createDiscordScreenshotSharing(deps));
}

/** A failure never fails the job: it is logged, and the thread gets the links instead. */
export function createDiscordScreenshotSharing(
  deps: DiscordScreenshotDeps,
): (request: GenerationRequest, event: ProgressEvent) => Promise<void> {
  const { config } = deps;
  if (!config.applicationId) throw new ConfigError('Discord screenshots need DISCORD_APPLICATION_ID.');
  const maxFiles = Math.min(deps.maxFiles ?? 4, ATTACHMENT_LIMITS.files);
  // The JSON part and the multipart framing count too: leave them room.
  const budget = ATTACHMENT_LIMITS.totalBytes - MULTIPART_OVERHEAD;
  const maxBytes = Math.min(deps.maxBytes ?? 4 * 2 ** 20, budget);
  const api = createDiscordApi({
    rest: createDiscordRest({ apiUrl: config.apiUrl, botToken: config.botToken }),
    applicationId: config.applicationId,
    hasBotToken: Boolean(config.botToken),
  });
  const tokens = createInteractionTokens(deps.state);

  const share = async (request: SucceededRequest) => {
    const { result } = request;
    const log = deps.logger.child({ requestId: request.id });
    const pullRequestUrl = result.pullRequest?.url;
    try {
      const images = withinLimits(await deps.read(result, { maxFiles, maxBytes }), {
        maxFiles,
        maxBytes,
        budget,
      });
      if (images.length === 0) throw new Error('none of the screenshots could be read from the branch');
      const posted = await postToJob(
        api,
        tokens,
        request,
        screenshotsMessage(images, result.screenshots.length, pullRequestUrl),
      );
      if (!posted) throw new Error('no way to post in Discord: set DISCORD_BOT_TOKEN');
      log.info({ files: images.length, messageId: posted.id }, 'discord screenshots attached');
    } catch (error) {
      log.warn({ err: error }, 'discord screenshots not attached; posting their links instead');
      try {
        for (const body of screenshotLinksMessages(result.screenshots, pullRequestUrl)) {
          await postToJob(api, tokens, request, body);
        }
      } catch (postError) {
        log.warn({ err: postError }, 'discord screenshot links not posted either');
      }
    }
  };
  return (request, event) =>
    shareScreenshotsOnce({ state: deps.state, platform: 'discord' }, request, event, share);
}

/** PNGs with safe names (they appear in `attachment://` URLs), in order, within Discord's limits. */
function withinLimits(
  images: readonly ScreenshotImage[],
  limits: { maxFiles: number; maxBytes: number; budget: number },
): ScreenshotImage[] {
  const kept: ScreenshotImage[] = [];
  let total = 0;
  for (const image of images) {
    if (kept.length >= limits.maxFiles) break;
    const size = image.png.length;
    if (!isUploadableScreenshot(image, limits.maxBytes)) continue;
    if (total + size > limits.budget) break;
    total += size;
    kept.push({ ...image, label: image.label.slice(0, 100) });
  }
  return kept;
}
