import { DiscordAPIError, REST, Routes, type APIMessage, type RawFile } from 'discord.js';
import type { MessageBody } from './messages.js';

/**
 * The few Discord REST calls Autonoma makes, over @discordjs/rest (which queues per rate-limit bucket
 * and waits out 429s). Interaction-token calls need no bot token; channel calls do.
 */
export interface DiscordApi {
  readonly hasBotToken: boolean;
  editOriginal(interactionToken: string, body: MessageBody): Promise<APIMessage>;
  followUp(interactionToken: string, body: MessageBody): Promise<APIMessage>;
  createMessage(channelId: string, body: MessageBody): Promise<APIMessage>;
  editMessage(channelId: string, messageId: string, body: MessageBody): Promise<APIMessage>;
  /** Starts a thread on a message, or returns the one it already has (its id is the message's id). */
  ensureThread(channelId: string, messageId: string, name: string): Promise<{ id: string; created: boolean }>;
}

/** Discord: "A thread has already been created for this message". */
const THREAD_ALREADY_CREATED = 160004;

export function createDiscordRest(options: { apiUrl: string; botToken?: string | undefined }): REST {
  // Node's own fetch, not @discordjs/rest's bundled undici: another undici loaded first in the
  // process (@slack/bolt's) becomes the global dispatcher, and that one fails multipart uploads
  // ("action is not a function"). Node's fetch serializes the form itself.
  const rest = new REST({
    version: '10',
    api: options.apiUrl,
    makeRequest: (url, init) => fetch(url, init as RequestInit),
  });
  if (options.botToken) rest.setToken(options.botToken);
  return rest;
}

/**
 * The JSON body Discord expects, plus the uploads when a message carries files: `files[n]` parts,
 * each listed under `attachments` with id n (the text attachment first, then the images).
 */
export function toRequest(body: MessageBody): { body: Record<string, unknown>; files?: RawFile[] } {
  const { attachment, images = [], ...json } = body;
  const uploads: Array<{ file: RawFile; description?: string }> = [
    ...(attachment
      ? [
          {
            file: {
              name: attachment.name,
              data: Buffer.from(attachment.text, 'utf8'),
              contentType: 'text/markdown',
            },
          },
        ]
      : []),
    ...images.map((image) => ({
      file: { name: image.name, data: Buffer.from(image.png), contentType: 'image/png' },
      ...(image.description ? { description: image.description } : {}),
    })),
  ];
  if (uploads.length === 0) return { body: json };
  return {
    body: {
      ...json,
      attachments: uploads.map(({ file, description }, id) => ({
        id,
        filename: file.name,
        ...(description ? { description } : {}),
      })),
    },
    files: uploads.map(({ file }) => file),
  };
}

export function createDiscordApi(deps: {
  rest: REST;
  applicationId: string;
  hasBotToken: boolean;
}): DiscordApi {
  const { rest, applicationId } = deps;
  return {
    hasBotToken: deps.hasBotToken,
    async editOriginal(token, body) {
      const route = Routes.webhookMessage(applicationId, token, '@original');
      return (await rest.patch(route, { ...toRequest(body), auth: false })) as APIMessage;
    },
    async followUp(token, body) {
      return (await rest.post(Routes.webhook(applicationId, token), {
        ...toRequest(body),
        auth: false,
      })) as APIMessage;
    },
    async createMessage(channelId, body) {
      return (await rest.post(Routes.channelMessages(channelId), toRequest(body))) as APIMessage;
    },
    async editMessage(channelId, messageId, body) {
      return (await rest.patch(Routes.channelMessage(channelId, messageId), toRequest(body))) as APIMessage;
    },
    async ensureThread(channelId, messageId, name) {
      try {
        const thread = (await rest.post(Routes.threads(channelId, messageId), {
          body: { name, auto_archive_duration: 1440 },
        })) as { id: string };
        return { id: thread.id, created: true };
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === THREAD_ALREADY_CREATED) {
          return { id: messageId, created: false };
        }
        throw error;
      }
    },
  };
}

/** An interaction token past its 15 minutes (or otherwise unusable): fall back to the bot token. */
export function isExpiredToken(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError && (error.status === 401 || error.status === 404 || error.code === 50027)
  );
}
