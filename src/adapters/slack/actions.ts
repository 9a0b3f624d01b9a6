import type {
  App,
  BlockAction,
  ButtonAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  webApi,
} from '@slack/bolt';
import type { GenerationRequest } from '../../core/domain/request.js';
import { InvalidInputError } from '../../core/errors.js';
import { changeRefusal, refusal } from './access.js';
import { ACTION_CANCEL, ACTION_OPEN_PR, ACTION_RETRY } from './blocks.js';
import { cancelOutcomeText } from './command-replies.js';
import type { HandlerDeps } from './handler-deps.js';
import { jobForButton } from './job-lookup.js';

function whereOf(body: BlockAction) {
  const action = body.actions[0] as ButtonAction | undefined;
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    channelId: body.channel?.id ?? body.container?.channel_id ?? '',
    messageTs: body.message?.ts ?? body.container?.message_ts,
    value: action?.value,
  };
}

async function privately(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, text });
}

type ButtonArgs = Pick<SlackActionMiddlewareArgs<BlockAction>, 'body' | 'respond'> & {
  client: webApi.WebClient;
};

const BUTTONS = [ACTION_CANCEL, ACTION_RETRY, ACTION_OPEN_PR];

/**
 * The status message's buttons. Each is acked at once; answers go to the clicker only. A double
 * click on Retry sends two actions with different trigger ids but the same job state, so the claim
 * is keyed on the job and the failure it retries, not on the click. One listener for all of them:
 * Bolt runs every listener's matchers on every request, so each listener costs all of them.
 */
export function registerActions(app: App, deps: HandlerDeps): void {
  const handlers: Record<string, (args: ButtonArgs) => Promise<void>> = {
    [ACTION_CANCEL]: (args) => cancel(deps, args),
    [ACTION_RETRY]: (args) => retry(deps, args),
    // A link button: Slack opens the URL itself, but still sends the click, which must be acked.
    [ACTION_OPEN_PR]: async () => undefined,
  };
  app.action<BlockAction>(new RegExp(`^(${BUTTONS.join('|')})$`), async ({ ack, body, respond, client }) => {
    await ack();
    const actionId = (body.actions[0] as ButtonAction | undefined)?.action_id ?? '';
    await handlers[actionId]?.({ body, respond, client });
  });
}

/**
 * The job whose status message holds the button, if the clicker may `action` it (its requester or an
 * admin); undefined once the clicker has been told why not.
 */
async function clickedJob(
  deps: HandlerDeps,
  { body, respond }: Pick<ButtonArgs, 'body' | 'respond'>,
  action: 'cancel' | 'retry',
): Promise<GenerationRequest | undefined> {
  const where = whereOf(body);
  const refused = refusal(deps.config, where);
  if (refused) {
    await privately(respond, refused);
    return undefined;
  }
  const request = await jobForButton(deps.service, where);
  if (!request) {
    await privately(respond, "I can't find the job this button belongs to.");
    return undefined;
  }
  const notYours = await changeRefusal(deps, body.user.id, request, action);
  if (notYours) {
    deps.logger.info({ requestId: request.id, action }, 'slack change refused: not the requester');
    await privately(respond, notYours);
    return undefined;
  }
  return request;
}

async function cancel(deps: HandlerDeps, { body, respond }: ButtonArgs): Promise<void> {
  try {
    const request = await clickedJob(deps, { body, respond }, 'cancel');
    if (!request) return;
    await privately(respond, cancelOutcomeText(await deps.service.cancel(request.id), request.id));
  } catch (error) {
    deps.logger.error({ err: error }, 'slack cancel failed');
    await privately(respond, 'Cancelling failed. Try again in a minute.').catch(() => undefined);
  }
}

async function retry(deps: HandlerDeps, { body, respond, client }: ButtonArgs): Promise<void> {
  try {
    const request = await clickedJob(deps, { body, respond }, 'retry');
    if (!request) return;
    if (request.status !== 'failed' && request.status !== 'cancelled') {
      return await privately(
        respond,
        `Job \`${request.id}\` is ${request.status}; there is nothing to retry.`,
      );
    }
    const claim = `retry:${request.id}:${request.attempts}:${request.finishedAt?.toISOString() ?? ''}`;
    if (!(await deps.dedupe.claim(claim, 3600))) return;
    try {
      await deps.service.retry(request.id);
    } catch (error) {
      if (error instanceof InvalidInputError) return await privately(respond, error.message);
      await deps.dedupe.release(claim);
      throw error;
    }
    const thread = request.thread;
    if (thread.platform === 'slack') {
      await client.chat.postMessage({
        channel: thread.channelId,
        thread_ts: thread.threadTs ?? thread.statusMessageTs,
        text: `🔁 <@${body.user.id}> asked for a retry; the job is queued again.`,
      });
    }
  } catch (error) {
    deps.logger.error({ err: error }, 'slack retry failed');
    await privately(respond, 'Retrying failed. Try again in a minute.').catch(() => undefined);
  }
}
