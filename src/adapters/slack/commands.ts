import { PROMPT_MAX_CHARS, PromptSchema } from '../../core/domain/request.js';

export type SlackCommand =
  | { verb: 'build'; prompt: string }
  | { verb: 'status'; jobId?: string }
  | { verb: 'cancel'; jobId?: string }
  | { verb: 'help' }
  | { verb: 'unknown'; word: string };

const VERBS = new Set(['build', 'status', 'cancel', 'help']);

/**
 * Parses the text after `/autonoma` (or after an @mention, or a direct message):
 * `build <prompt>`, `status [job]`, `cancel <job>`, `help`. Empty text is a request for help.
 */
export function parseCommand(text: string): SlackCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { verb: 'help' };
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  const word = (match?.[1] ?? '').toLowerCase();
  const rest = (match?.[2] ?? '').trim();
  if (!VERBS.has(word)) return { verb: 'unknown', word: match?.[1] ?? '' };
  switch (word) {
    case 'build':
      return { verb: 'build', prompt: rest };
    case 'status':
    case 'cancel': {
      const jobId = rest.split(/\s+/)[0]?.replace(/[`<>]/g, '');
      return jobId ? { verb: word, jobId } : { verb: word };
    }
    default:
      return { verb: 'help' };
  }
}

/** True when the text starts with one of the command words (so a thread reply is not an iteration). */
export function startsWithVerb(text: string): boolean {
  const first = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return VERBS.has(first) && first !== 'build';
}

/** Removes `<@U123>` mentions (Slack's encoding of @someone) from a message's text. */
export function stripMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ').trim();
}

/** Decodes the three entities Slack escapes in message text. */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export type PromptCheck = { ok: true; prompt: string } | { ok: false; message: string };

const EXAMPLE = 'a recipe app where users rate dishes';

/** The same bounds core enforces, checked before anything is posted, with the limit stated. */
export function checkPrompt(prompt: string, how = '/autonoma build'): PromptCheck {
  const trimmed = prompt.trim();
  if (trimmed === '') {
    return {
      ok: false,
      message: `Tell me what to build, e.g. \`${how} ${EXAMPLE}\` (up to ${PROMPT_MAX_CHARS.toLocaleString('en-US')} characters).`,
    };
  }
  if (trimmed.length > PROMPT_MAX_CHARS) {
    return {
      ok: false,
      message:
        `That description is ${trimmed.length.toLocaleString('en-US')} characters; the limit is ` +
        `${PROMPT_MAX_CHARS.toLocaleString('en-US')}. Shorten it and try again.`,
    };
  }
  const parsed = PromptSchema.safeParse(trimmed);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join(' ') };
  return { ok: true, prompt: parsed.data };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isJobId(value: string | undefined): boolean {
  return value !== undefined && UUID.test(value);
}

export function usageText(command = '/autonoma'): string {
  return [
    '*Autonoma* turns a sentence into a working web app, delivered as a pull request.',
    `• \`${command} build <description>\` — start a build, e.g. \`${command} build ${EXAMPLE}\``,
    `• \`${command} status [job]\` — where a job is (the latest in this channel if no job is given)`,
    `• \`${command} cancel <job>\` — stop a job`,
    `• \`${command} help\` — this message`,
    'You can also mention me (`@Autonoma build …`) or send me a direct message. Reply in a job’s thread ' +
      '(“also add a due date”) to change the app it built.',
  ].join('\n');
}

export function unknownCommandText(word: string, command = '/autonoma'): string {
  return `I don't know \`${word.slice(0, 40)}\`. Did you mean \`${command} build ${word.slice(0, 40)} …\`?\n\n${usageText(command)}`;
}
