import type { App, webApi } from '@slack/bolt';
import type { GenerationRequest } from '../../core/domain/request.js';
import { changeRefusal, refusal } from './access.js';
import { cancelReply, statusReply } from './command-replies.js';
import {
  checkPrompt,
  decodeSlackText,
  parseCommand,
  startsWithVerb,
  stripMentions,
  unknownCommandText,
  usageText,
} from './commands.js';
import type { HandlerDeps } from './handler-deps.js';
import { iterationTarget, rootRequestId } from './job-lookup.js';
import { queueJobStart, queueProblemText } from './queue-job-start.js';
import { replyTo } from './reply-to.js';
import type { JobOrigin, ReplyTarget } from './start-job-entry.js';

/** A message addressed to Autonoma: an @mention, a direct message, or a reply in a job's thread. */
interface Addressed {
  teamId: string;
  channelId: string;
  userId: string;
  text: string;
  ts: string;
  threadTs: string | undefined;
  isDirect: boolean;
  viaMention: boolean;
}

/** The fields we read from `app_mention` and `message` events (both carry a user's message). */
interface MessageLike {
  type: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
}

/**
 * Mentions, DMs and thread replies. Slack sends both `app_mention` and `message` for a mention in a
 * channel; the message case leaves those to the mention case, and both key the job on the message
 * itself (channel + ts), so neither a retry nor the pair can start two jobs. One listener for both:
 * Bolt runs every listener's matchers on every request, so each listener costs all of them.
 */
export function registerMessageHandlers(app: App, deps: HandlerDeps): void {
  app.event(/^(app_mention|message)$/, async ({ event, body, client, context }) => {
    const message = event as unknown as MessageLike;
    const addressed = message.type === 'app_mention' ? fromMention(message) : fromMessage(message, context);
    if (addressed) await handle(deps, client, { ...addressed, teamId: body.team_id });
  });
}

type Unplaced = Omit<Addressed, 'teamId'>;

function fromMention(message: MessageLike): Unplaced | undefined {
  if (message.bot_id || !message.user) return undefined;
  return addressedBy(message, message.user, { isDirect: false, viaMention: true });
}

function fromMessage(message: MessageLike, context: { botUserId?: string }): Unplaced | undefined {
  // Edits, deletions, joins, bot posts (ours and others'): never a request.
  if (message.subtype !== undefined || message.bot_id || !message.user) return undefined;
  if (message.user === context.botUserId) return undefined;
  const isDirect = message.channel_type === 'im';
  // A mention arrives as app_mention too: that one is handled.
  if (!isDirect && context.botUserId && message.text?.includes(`<@${context.botUserId}>`)) return undefined;
  if (!isDirect && !message.thread_ts) return undefined;
  return addressedBy(message, message.user, { isDirect, viaMention: false });
}

function addressedBy(
  message: MessageLike,
  userId: string,
  how: Pick<Addressed, 'isDirect' | 'viaMention'>,
): Unplaced {
  return {
    channelId: message.channel,
    userId,
    text: stripMentions(decodeSlackText(message.text ?? '')),
    ts: message.ts,
    threadTs: message.thread_ts,
    ...how,
  };
}

/** A job started by a message is keyed on the message itself, so its deliveries start it once. */
function messageKey(message: Addressed): string {
  return `slack:msg:${message.channelId}:${message.ts}`;
}

async function handle(deps: HandlerDeps, client: webApi.WebClient, message: Addressed): Promise<void> {
  const log = deps.logger.child({ channel: message.channelId, ts: message.ts });
  const tell = (text: string) => tellUser(deps, client, message, text);
  try {
    const refused = refusal(deps.config, message);
    if (refused) {
      if (message.viaMention || message.isDirect) await tell(refused);
      return;
    }
    const inThread = message.threadTs !== undefined && message.threadTs !== message.ts;
    if (inThread && !startsWithVerb(message.text)) {
      const parent = await deps.service.findByThread({
        platform: 'slack',
        teamId: message.teamId,
        channelId: message.channelId,
        threadTs: message.threadTs,
      });
      // The thread's latest job is the one this very message started: a repeated delivery, already done.
      if (parent?.idempotencyKey === messageKey(message)) return;
      if (parent) return await iterate(deps, client, message, parent);
      // Someone else's conversation in a thread that is not a job's: not for us.
      if (!message.viaMention && !message.isDirect) return;
    }
    const where = { teamId: message.teamId, channelId: message.channelId, userId: message.userId };
    const command = parseCommand(message.text);
    switch (command.verb) {
      case 'help':
        return await tell(usageText());
      case 'unknown':
        return await tell(unknownCommandText(command.word));
      case 'status':
        return await tell(await statusReply(deps.service, where, command.jobId));
      case 'cancel':
        return await tell(await cancelReply(deps, where, command.jobId));
      case 'build': {
        const check = checkPrompt(command.prompt, '@Autonoma build');
        if (!check.ok) return await tell(check.message);
        return await queueOrTell(deps, message, tell, {
          ...where,
          userId: message.userId,
          prompt: check.prompt,
          threadTs: message.threadTs ?? message.ts,
          idempotencyKey: messageKey(message),
        });
      }
    }
  } catch (error) {
    log.error({ err: error }, 'slack message not handled');
    await tell('Something went wrong handling this message. Try again in a minute.').catch(() => undefined);
  }
}

/** A reply in a job's thread: a change to the app that job built, committed to its pull request. */
async function iterate(
  deps: HandlerDeps,
  client: webApi.WebClient,
  message: Addressed,
  parent: GenerationRequest,
): Promise<void> {
  const tell = (text: string) => tellUser(deps, client, message, text);
  // Only the job's requester or an admin may change its pull request; nothing is queued otherwise.
  const notYours = await changeRefusal(deps, message.userId, parent, 'iterate');
  if (notYours) return tell(notYours);
  if (parent.status === 'queued' || parent.status === 'running') {
    return tell(
      `I'm still working on this thread's last request (job \`${parent.id}\`). Reply again once it has finished, or press *Cancel* on its status message.`,
    );
  }
  const target = iterationTarget(parent);
  if (!target) {
    return tell(
      "This job hasn't opened a pull request, so there is nothing to change yet. Press *Retry* on its status message, or start a new build.",
    );
  }
  const check = checkPrompt(message.text, 'reply with');
  if (!check.ok) return tell(check.message);
  return queueOrTell(deps, message, tell, {
    teamId: message.teamId,
    channelId: message.channelId,
    userId: message.userId,
    prompt: check.prompt,
    threadTs: message.threadTs ?? message.ts,
    idempotencyKey: messageKey(message),
    iteration: { parentRequestId: rootRequestId(parent), target },
  });
}

/** Hands the job to the inbox; if that fails, the person who asked hears so at once. */
async function queueOrTell(
  deps: HandlerDeps,
  message: Addressed,
  tell: (text: string) => Promise<void>,
  origin: JobOrigin,
): Promise<void> {
  const queued = await queueJobStart(deps.inbox, { origin, replyTo: replyTarget(message) });
  if (queued.outcome !== 'queued') {
    deps.logger.error({ err: queued.error, outcome: queued.outcome }, 'slack build not queued');
    await tell(queueProblemText(queued.outcome));
  }
}

function replyTarget(message: Addressed): ReplyTarget {
  const threadTs = message.threadTs ?? message.ts;
  return message.isDirect
    ? { kind: 'direct', channelId: message.channelId, threadTs }
    : {
        kind: 'ephemeral',
        channelId: message.channelId,
        userId: message.userId,
        ...(message.threadTs ? { threadTs: message.threadTs } : {}),
      };
}

/** Answers only the person who asked (ephemeral in channels; in a DM the conversation is theirs). */
async function tellUser(
  deps: HandlerDeps,
  client: webApi.WebClient,
  message: Addressed,
  text: string,
): Promise<void> {
  // A retried delivery must not answer twice.
  if (!(await deps.dedupe.claim(`tell:${message.channelId}:${message.ts}`, 3600))) return;
  await replyTo(client, globalThis.fetch, replyTarget(message), text);
}
