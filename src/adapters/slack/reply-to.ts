import type { webApi } from '@slack/bolt';
import type { ReplyTarget } from './start-job-entry.js';

export type Fetch = typeof globalThis.fetch;

/**
 * Answers the person who asked, privately: through a slash command's response_url, as an ephemeral
 * message in the channel, or in the thread of their DM.
 */
export async function replyTo(
  client: webApi.WebClient,
  fetch: Fetch,
  target: ReplyTarget,
  text: string,
): Promise<void> {
  switch (target.kind) {
    case 'response_url': {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        signal: AbortSignal.timeout(10_000),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`response_url answered ${response.status}`);
      return;
    }
    case 'ephemeral':
      await client.chat.postEphemeral({
        channel: target.channelId,
        user: target.userId,
        text,
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      });
      return;
    case 'direct':
      await client.chat.postMessage({ channel: target.channelId, thread_ts: target.threadTs, text });
      return;
  }
}
