import type { App, RespondArguments } from '@slack/bolt';
import { refusal } from './access.js';
import { cancelReply, statusReply } from './command-replies.js';
import { checkPrompt, decodeSlackText, parseCommand, unknownCommandText, usageText } from './commands.js';
import type { HandlerDeps } from './handler-deps.js';
import { queueJobStart, queueProblemText } from './queue-job-start.js';

const ephemeral = (text: string): RespondArguments => ({ response_type: 'ephemeral', text });

/**
 * `/autonoma build|status|cancel|help`. Bad input gets its answer in the ack itself; a build is
 * acked at once and handed to the inbox (one Redis write); the worker tier posts its thread.
 */
export function registerSlashCommand(app: App, deps: HandlerDeps): void {
  app.command(/^\/.+/, async ({ command, ack, respond }) => {
    const where = { teamId: command.team_id, channelId: command.channel_id };
    const refused = refusal(deps.config, where);
    if (refused) return ack(ephemeral(refused));
    const parsed = parseCommand(decodeSlackText(command.text ?? ''));
    // Only the failure paths log: no child logger on the way to a successful ack.
    const log = () => deps.logger.child({ verb: parsed.verb, channel: command.channel_id });
    switch (parsed.verb) {
      case 'help':
        return ack(ephemeral(usageText(command.command)));
      case 'unknown':
        return ack(ephemeral(unknownCommandText(parsed.word, command.command)));
      case 'status':
        return ack(ephemeral(await statusReply(deps.service, where, parsed.jobId)));
      case 'cancel':
        return ack(
          ephemeral(
            await cancelReply(deps, { ...where, userId: command.user_id }, parsed.jobId, command.command),
          ),
        );
      case 'build': {
        const check = checkPrompt(parsed.prompt, `${command.command} build`);
        if (!check.ok) return ack(ephemeral(check.message));
        // Ack first, as Slack asks: the inbox write is one Redis command, and in the rare case it
        // fails the user hears so on the command's response_url a moment later.
        await ack(ephemeral('On it — progress will appear in a thread in this channel.'));
        const queued = await queueJobStart(deps.inbox, {
          origin: {
            ...where,
            userId: command.user_id,
            userName: command.user_name,
            prompt: check.prompt,
            idempotencyKey: `slack:cmd:${command.trigger_id}`,
          },
          replyTo: { kind: 'response_url', url: command.response_url },
        });
        if (queued.outcome !== 'queued') {
          log().error({ err: queued.error, outcome: queued.outcome }, 'slack build not queued');
          await respond({ ...ephemeral(queueProblemText(queued.outcome)), replace_original: false }).catch(
            (error: unknown) => log().warn({ err: error }, 'slack queue problem not delivered'),
          );
        }
        return;
      }
    }
  });
}
