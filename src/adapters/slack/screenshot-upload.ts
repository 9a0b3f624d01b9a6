import type { webApi } from '@slack/bolt';
import type { ProgressEvent } from '../../core/domain/progress.js';
import type { GenerationRequest, JobResult } from '../../core/domain/request.js';
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
import { escapeText, link } from './format.js';
import { withRateLimit } from './rate-limit.js';

export interface SlackScreenshotDeps {
  client: webApi.WebClient;
  /** Holds the once-per-result claims, shared by every replica. */
  state: StateStore;
  read: ReadScreenshots;
  logger: Logger;
  /** Images per job. Default 4: a thread reply, not a gallery (the pull request has them all). */
  maxFiles?: number;
  /** Per image. Default 4 MiB, the most the look step keeps. */
  maxBytes?: number;
}

const MAX_RATE_LIMIT_WAITS = 3;

/**
 * The Slack adapter, plus: when a job succeeds, its screenshots are uploaded into the job's thread
 * after the closing reply, once per job result (a re-sent final event, a retried delivery or a
 * second replica finds the claim taken). Iterations are results of their own and upload theirs.
 */
export function withSlackScreenshots<A extends ChatAdapter>(adapter: A, deps: SlackScreenshotDeps): A {
  return withShare(adapter, createSlackScreenshotSharing(deps));
}

/**
 * Uploads with Slack's current file API (files.getUploadURLExternal, a POST of the bytes to the
 * upload URL, files.completeUploadExternal sharing them in the thread), as WebClient.filesUploadV2
 * drives it. A failure never fails the job: it is logged, and the thread gets the links instead.
 */
export function createSlackScreenshotSharing(
  deps: SlackScreenshotDeps,
): (request: GenerationRequest, event: ProgressEvent) => Promise<void> {
  const maxFiles = deps.maxFiles ?? 4;
  const maxBytes = deps.maxBytes ?? 4 * 2 ** 20;

  const share = async (request: SucceededRequest) => {
    const { thread, result } = request;
    if (thread.platform !== 'slack') return;
    const threadTs = thread.threadTs ?? thread.statusMessageTs;
    if (!threadTs) return;
    const log = deps.logger.child({ requestId: request.id, channel: thread.channelId });
    const where = { channel_id: thread.channelId, thread_ts: threadTs };
    try {
      const images = (await deps.read(result, { maxFiles, maxBytes })).filter((image) =>
        isUploadableScreenshot(image, maxBytes),
      );
      if (images.length === 0) throw new Error('none of the screenshots could be read from the branch');
      await withRateLimit(
        () =>
          deps.client.filesUploadV2({
            ...where,
            initial_comment: uploadComment(images, result),
            file_uploads: images.slice(0, maxFiles).map((image) => ({
              file: Buffer.from(image.png),
              filename: image.file,
              title: image.label,
              alt_text: `Screenshot of the generated app: ${image.label}`,
            })),
          }),
        MAX_RATE_LIMIT_WAITS,
      );
      log.info({ files: images.length }, 'slack screenshots uploaded');
    } catch (error) {
      log.warn({ err: error }, 'slack screenshots not uploaded; posting their links instead');
      await withRateLimit(
        () =>
          deps.client.chat.postMessage({
            channel: thread.channelId,
            thread_ts: threadTs,
            text: linksText(result),
            unfurl_links: false,
            unfurl_media: false,
          }),
        MAX_RATE_LIMIT_WAITS,
      ).catch((postError: unknown) =>
        log.warn({ err: postError }, 'slack screenshot links not posted either'),
      );
    }
  };
  return (request, event) =>
    shareScreenshotsOnce({ state: deps.state, platform: 'slack' }, request, event, share);
}

/** The message the files are shared with: what they show, and where the rest are. */
export function uploadComment(images: readonly ScreenshotImage[], result: JobResult): string {
  const listed = result.screenshots?.length ?? images.length;
  const shown = images.map((image) => escapeText(image.label)).join(' · ');
  const rest =
    listed > images.length && result.pullRequest
      ? `\nAll ${listed} are on the ${link(result.pullRequest.url, 'pull request')}.`
      : '';
  return `📸 The app running in a browser: ${shown}${rest}`;
}

/** Instead of the upload: each screenshot's link (web URLs linked, other places named). */
export function linksText(result: JobResult): string {
  const links = (result.screenshots ?? []).map((shot) =>
    /^https?:\/\//i.test(shot.url) ? link(shot.url, shot.file) : `\`${escapeText(shot.file)}\``,
  );
  const where = result.pullRequest ? ` on the ${link(result.pullRequest.url, 'pull request')}` : '';
  return `📸 The screenshots could not be attached here. They are${where}: ${links.join(' · ')}`;
}
