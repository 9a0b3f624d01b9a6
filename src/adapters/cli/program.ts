import { Command, InvalidArgumentError, Option } from 'commander';

export interface BuildOptions {
  prompt: string;
  out?: string;
  json: boolean;
  worker: boolean;
  /** Logs on stderr instead of in a file. */
  verbose: boolean;
}

export interface EvalCliOptions {
  file?: string;
  limit?: number;
  json: boolean;
  split: 'tune' | 'holdout' | 'all';
  validate: boolean;
}

export interface CliHandlers {
  serve(): Promise<void>;
  worker(options: { concurrency?: number }): Promise<void>;
  build(options: BuildOptions): Promise<number>;
  status(options: { id: string; json: boolean }): Promise<number>;
  migrate(): Promise<void>;
  evaluate(options: EvalCliOptions): Promise<number>;
  mcp(options: { worker: boolean }): Promise<void>;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/** The `autonoma` command line. Handlers are injected by the composition root. */
export function buildProgram(handlers: CliHandlers, setExitCode: (code: number) => void): Command {
  const program = new Command('autonoma')
    .description('Turn a sentence into a working web app, delivered as a repository with a pull request.')
    .showHelpAfterError('(run "autonoma --help" for usage)');

  program
    .command('build')
    .description(
      'Generate an app from a description and open a pull request for it. By default a worker in this ' +
        'process runs this build only; its logs go to a file under AUTONOMA_DATA_DIR/logs.',
    )
    .argument('<prompt...>', 'what to build, e.g. "a todo app with tags"')
    .option('--out <dir>', 'where the local forge writes repositories (default: .autonoma/repos)')
    .option('--json', 'print one JSON object with the final result instead of progress', false)
    .option('--no-worker', 'only queue the job; leave it to running `autonoma worker` processes')
    .option('--verbose', 'print logs on stderr (LOG_LEVEL) instead of writing them to a file', false)
    .action(async (words: string[], options: Omit<BuildOptions, 'prompt'>) => {
      setExitCode(
        await handlers.build({
          prompt: words.join(' '),
          json: options.json,
          worker: options.worker,
          verbose: options.verbose,
          ...(options.out ? { out: options.out } : {}),
        }),
      );
    });

  program
    .command('status')
    .description('Show the state of a generation request')
    .argument('<id>', 'request id printed by `autonoma build`')
    .option('--json', 'print JSON', false)
    .action(async (id: string, options: { json: boolean }) => {
      setExitCode(await handlers.status({ id, json: options.json }));
    });

  program
    .command('serve')
    .description('Run the HTTP server (chat adapters, health and metrics endpoints)')
    .action(() => handlers.serve());

  program
    .command('worker')
    .description('Run a queue worker that processes generation jobs')
    .option('--concurrency <n>', 'jobs processed at once (default WORKER_CONCURRENCY)', positiveInt)
    .action((options: { concurrency?: number }) => handlers.worker(options));

  program
    .command('db:migrate')
    .description('Create the database if needed and apply pending migrations (idempotent)')
    .action(() => handlers.migrate());

  program
    .command('eval')
    .description(
      'Measure fidelity: run the prompt evaluation set through the offline builder and report validation, ' +
        'entity, field, relation and range recall against the targets',
    )
    .option('--file <path>', 'prompts file (default tests/fixtures/eval-prompts.json)')
    .addOption(
      new Option('--split <split>', 'which prompts: tune while iterating, holdout only at the end')
        .choices(['tune', 'holdout', 'all'])
        .default('all'),
    )
    .option('--no-validate', 'only parse the prompts (seconds): no generation, no sandbox')
    .option('--limit <n>', 'only the first n prompts (after --split)', positiveInt)
    .option('--json', 'print JSON', false)
    .action(async (options: EvalCliOptions) => {
      setExitCode(await handlers.evaluate(options));
    });

  program
    .command('mcp')
    .description('Serve Autonoma to AI tools over MCP on stdin/stdout (logs on stderr)')
    .option('--no-worker', 'only queue jobs; leave them to running `autonoma worker` processes')
    .action((options: { worker: boolean }) => handlers.mcp(options));

  return program;
}
