import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { PROMPT_MAX_CHARS } from '../../core/domain/request.js';

export const COMMAND_NAME = 'autonoma';

/** Discord caps string options at 6,000 characters; the prompt limit is ours. */
const PROMPT_OPTION_MAX = Math.min(PROMPT_MAX_CHARS, 6000);

const requestIdOption = {
  type: ApplicationCommandOptionType.String,
  name: 'id',
  description: 'Request id (defaults to the job of the thread you are in)',
  required: false,
  min_length: 36,
  max_length: 36,
} as const;

/** `/autonoma build|status|cancel|help`, as registered by `npm run discord:register`. */
export const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = [
  {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND_NAME,
    description: 'Turn a sentence into a working web app, delivered as a pull request',
    // Guild text channels only: threads are where a job's progress lives.
    contexts: [0],
    integration_types: [0],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'build',
        description: 'Build an app from a description',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'prompt',
            description: 'What to build, e.g. "a todo app with tags and due dates"',
            required: true,
            min_length: 3,
            max_length: PROMPT_OPTION_MAX,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'status',
        description: 'Show where a job is',
        options: [requestIdOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'cancel',
        description: 'Stop a job',
        options: [requestIdOption],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'help', description: 'How to use Autonoma' },
    ],
  },
];
