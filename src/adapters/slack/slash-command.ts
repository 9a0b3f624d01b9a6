import type { App, RespondArguments } from '@slack/bolt';
import { refusal } from './access.js';
import { cancelReply, statusReply } from './command-replies.js';
import { checkPrompt, decodeSlackText, parseCommand, unknownCommandText, usageText } from './commands.js';
import type { HandlerDeps } from './handler-deps.js';
import { startJob } from './start-job.js';

const ephemeral = (text: string): RespondArguments => ({ response_type: 'ephemeral', text });

/**
 * `/autonoma build|status|cancel|help`. Checks that need no network happen before the ack, so bad
 * input gets its answer in the ack itself; a build is acked at once and started after.
 */
export function registerSlashCommand(app: App, deps: HandlerDeps): void {
  app.command(/^\/.+/, async ({ command, ack, respond, client }) => {
    const where = { teamId: command.team_id, channelId: command.channel_id };
    const refused = refusal(deps.config, where);
    if (refused) return ack(ephemeral(refused));
    const parsed = parseCommand(decodeSlackText(command.text ?? ''));
    const log = deps.logger.child({ verb: parsed.verb, channel: command.channel_id });
    switch (parsed.verb) {
      case 'help':
        return ack(ephemeral(usageText(command.command)));
      case 'unknown':
        return ack(ephemeral(unknownCommandText(parsed.word, command.command)));
      case 'status':
        return ack(ephemeral(await statusReply(deps.service, where, parsed.jobId)));
      case 'cancel':
        return ack(ephemeral(await cancelReply(deps.service, where, parsed.jobId, command.command)));
      case 'build': {
        const check = checkPrompt(parsed.prompt, `${command.command} build`);
        if (!check.ok) return ack(ephemeral(check.message));
        await ack(ephemeral('On it — progress will appear in a thread in this channel.'));
        try {
          const outcome = await startJob(
            { client, service: deps.service, dedupe: deps.dedupe, logger: log },
            {
              ...where,
              userId: command.user_id,
              userName: command.user_name,
              prompt: check.prompt,
              idempotencyKey: `slack:cmd:${command.trigger_id}`,
            },
          );
          if (outcome.kind === 'refused')
            await respond({ ...ephemeral(outcome.message), replace_original: false });
        } catch (error) {
          log.error({ err: error }, 'slack build command failed');
          await respond(ephemeral('Something went wrong starting this build. Try again in a minute.')).catch(
            () => undefined,
          );
        }
        return;
      }
    }
  });
}
