/**
 * The composition root: the only module that wires core, adapters, agents and jobs together.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createDiscordAdapter } from './adapters/discord/index.js';
import { createGitHubAppAdapter } from './adapters/github/app/index.js';
import { createGitHubForge, createGitHubOctokit } from './adapters/github/forge/index.js';
import { findInstallationId } from './adapters/github/forge/find-installation.js';
import { createHttpApp, createMetrics, postgresCheck, startHttpServer } from './adapters/http/index.js';
import { createJobPage } from './adapters/http/job-page/index.js';
import { createBranchFiles, type BranchFiles } from './adapters/http/job-page/branch-files.js';
import { withDiscordScreenshots } from './adapters/discord/screenshot-upload.js';
import { withSlackScreenshots } from './adapters/slack/screenshot-upload.js';
import { SCREENSHOT_FILE, type ReadScreenshots, type ScreenshotImage } from './core/ports/screenshots.js';
import { pngSize } from './agents/validation/png.js';
import { createLocalGitForge } from './adapters/local-git/index.js';
import { createMcpAdapter } from './adapters/mcp/index.js';
import { createSlackAdapter, createSlackInboxHandlers } from './adapters/slack/index.js';
import {
  checkSyntax,
  connectToolServers,
  createCodeServer,
  createWorkspaceServer,
} from './agents/mcp/index.js';
import { createTemplatesServer } from './agents/mcp/templates-server.js';
import {
  createEmbedder,
  createTemplateStore,
  prismaSqlClient,
  seedTemplates,
  type TemplateStore,
} from './agents/templates/index.js';
import { createAgentPipeline } from './agents/pipeline/app-pipeline.js';
import { createPrismaSpendSource } from './agents/budget/index.js';
import { createModelProvider } from './agents/providers/create-model-provider.js';
import { loadStarterFiles } from './agents/starter/starter-files.js';
import { validateApp } from './agents/validation/validate-app.js';
import { chooseSandbox, sandboxRefusal } from './agents/sandbox/create-sandbox.js';
import { createPreviewManager, type PreviewManager } from './agents/preview/preview-manager.js';
import { createSandboxPreviewRunner } from './agents/preview/sandbox-preview.js';
import { removeOrphanedPreviews } from './agents/preview/orphaned-previews.js';
import type { Sandbox } from './core/ports/sandbox.js';
import type { Config } from './core/config.js';
import { AutonomaError, CancelledError, ConfigError } from './core/errors.js';
import type { Logger } from './core/logger.js';
import { createSecretRedactor, type SecretRedactor } from './core/secrets/secret-redactor.js';
import { packageRoot } from './core/package-root.js';
import type { AppGenerator } from './core/ports/app-generator.js';
import { decodeFileContent, SCREENSHOTS_DIR, type Forge } from './core/ports/forge.js';
import { createJobLinks, resolveLinkSecret, type JobLinks } from './core/job-links.js';
import type { ChatAdapter } from './core/ports/chat-adapter.js';
import type { GenerationService } from './core/ports/generation-service.js';
import { createGenerationService } from './jobs/generation-service.js';
import { createPrismaQuotaStore } from './jobs/quotas/index.js';
import { createProgressFanOut } from './jobs/progress-fan-out.js';
import type { ModelProvider } from './core/ports/model-provider.js';
import { migrateDatabase, VECTOR_FALLBACK_WARNING, type MigrationResult } from './core/storage/migrate.js';
import { createPrismaClient, type PrismaClient } from './core/storage/prisma.js';
import { createPrismaJobStore } from './core/storage/prisma-job-store.js';
import type { JobStore } from './core/ports/job-store.js';
import type { StateStore } from './core/ports/state-store.js';
import { createCancellationRegistry, type CancellationRegistry } from './jobs/cancellation.js';
import { createGenerationProcessor } from './jobs/generation-processor.js';
import {
  createGenerationProducer,
  privateGenerationQueue,
  type GenerationProducer,
} from './jobs/generation-queue.js';
import { createGenerationRunner } from './jobs/generation-runner.js';
import { startGenerationWorker, type GenerationWorker } from './jobs/generation-worker.js';
import { createRedisConnection, quitAll, redisCheck } from './jobs/redis.js';
import { createRedisStateStore } from './jobs/redis-state-store.js';
import { createJobProbe } from './jobs/sweeper/job-probe.js';
import { createPrismaInboxLedger, withInboxLedger } from './jobs/recovery-inbox.js';
import { createPrismaRecoveryStore } from './jobs/sweeper/recovery-store.js';
import { createSweeper, type Sweeper, type SweeperOptions } from './jobs/sweeper/sweeper.js';
import { createRedisProgressBus, type RedisProgressBus } from './jobs/redis-progress-bus.js';
import {
  createInboxProducer,
  startInboxWorker,
  type InboxProducer,
  type InboxWorker,
} from './jobs/inbox-queue.js';
import type { InboxHandler } from './core/ports/inbox.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  store: JobStore;
  redis: Redis;
  /** Claims, memos and leases the adapters share across replicas, under the deployment key prefix. */
  state: StateStore;
  bus: RedisProgressBus;
  producer: GenerationProducer;
  /** Deliveries the web tier accepted and the worker tier handles (see core/ports/inbox.ts). */
  inbox: InboxProducer;
  /** Scrubs secrets (config's, and tokens minted at run time) from whatever is stored or posted. */
  redactor: SecretRedactor;
  close(): Promise<void>;
}

/** Creates the database if needed, applies migrations, and warns once where pgvector is missing. */
export async function migrate(
  config: Config,
  logger: Logger,
  options: { warnWithoutVector?: boolean } = {},
): Promise<MigrationResult> {
  const result = await migrateDatabase({
    databaseUrl: config.databaseUrl,
    migrationsDir: path.join(packageRoot(), 'prisma', 'migrations'),
    logger,
  });
  if (!result.vectorSupport && options.warnWithoutVector !== false) logger.warn({}, VECTOR_FALLBACK_WARNING);
  return result;
}

/** Postgres, Redis, the store, the progress bus and the queue producer: what every process needs. */
export async function createRuntime(
  config: Config,
  logger: Logger,
  // The logger's own, when it has one: tokens learned later are then scrubbed from logs too.
  redactor: SecretRedactor = createSecretRedactor(config.secrets),
): Promise<Runtime> {
  const prisma = createPrismaClient(config.databaseUrl);
  const redis = createRedisConnection(config.redisUrl, 'command');
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  const bus = createRedisProgressBus({ publisher: redis, namespace: config.queuePrefix });
  const producer = createGenerationProducer({
    connection: redis,
    attempts: config.worker.attempts,
    prefix: config.queuePrefix,
  });
  // Each accepted chat delivery is also kept in Postgres until handled (jobs/recovery-inbox.ts).
  const inbox = withInboxLedger(
    createInboxProducer({ connection: redis, prefix: config.queuePrefix }),
    createPrismaInboxLedger(prisma),
  );
  // Outages surface on each call; without listeners BullMQ would also print every reconnect error.
  for (const queue of [producer.queue, inbox.queue]) {
    queue.on('error', (error) => logger.debug({ err: error, queue: queue.name }, 'queue connection error'));
  }
  return {
    config,
    logger,
    prisma,
    store: createPrismaJobStore(prisma),
    redis,
    state: createRedisStateStore({ client: redis, prefix: config.queuePrefix }),
    bus,
    producer,
    inbox,
    redactor,
    async close() {
      await bus.close();
      await producer.close();
      await inbox.close();
      await quitAll([redis]);
      await prisma.$disconnect();
    },
  };
}

/** The model provider from config (offline, openai or anthropic), guarded by the budgets. */
export function createProvider(
  config: Config,
  deps: { logger?: Logger; prisma?: PrismaClient } = {},
): ModelProvider {
  return createModelProvider(config, {
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.prisma ? { spend: createPrismaSpendSource(deps.prisma) } : {}),
  });
}

export async function createForge(
  config: Config,
  logger: Logger,
  outDir?: string,
  redactor?: SecretRedactor,
): Promise<Forge> {
  if (config.forge === 'github') {
    const { owner, apiUrl, token, appId, privateKey, license } = config.github;
    if (!owner)
      throw new ConfigError(
        'Set AUTONOMA_GITHUB_OWNER to the user or organisation that owns new repositories.',
      );
    const credentials =
      appId && privateKey
        ? {
            appId,
            privateKey,
            installationId: await findInstallationId({ apiUrl, appId, privateKey, owner }),
          }
        : token
          ? { token }
          : undefined;
    if (!credentials)
      throw new ConfigError(
        'The GitHub forge needs GITHUB_TOKEN, or a GitHub App (GITHUB_APP_ID and GITHUB_PRIVATE_KEY).',
      );
    const octokit = createGitHubOctokit({ apiUrl, logger, ...credentials, onToken: redactor?.add });
    return createGitHubForge({ octokit, owner, license, logger });
  }
  return createLocalGitForge({ rootDir: path.resolve(outDir ?? path.join(config.dataDir, 'repos')), logger });
}

/** Template retrieval for the architecture agent; the pipeline runs without it if it cannot start. */
export async function createTemplates(
  config: Config,
  logger: Logger,
  prisma: PrismaClient,
): Promise<TemplateStore | undefined> {
  try {
    const store = await createTemplateStore({
      sql: prismaSqlClient(prisma),
      embedder: createEmbedder(config, { logger }),
      logger,
    });
    await seedTemplates(store, { logger });
    return store;
  } catch (error) {
    logger.warn(
      { err: error },
      'template search unavailable: the architecture agent runs without find_templates',
    );
    return undefined;
  }
}

/** Where the worker's code comes from, when not from Autonoma itself: these need a real sandbox. */
export function untrustedSources(config: Config): string[] {
  return [
    ...(config.provider !== 'offline' ? [`a model provider (${config.provider})`] : []),
    ...(slackConfigured(config) ? ['Slack'] : []),
    ...(config.discord.applicationId ? ['Discord'] : []),
    ...(config.github.appId ? ['a GitHub App'] : []),
    ...(config.mcp.bearerToken || config.mcp.tokens ? ['MCP clients'] : []),
  ];
}

/**
 * The sandbox generated apps are validated in (see agents/sandbox). Refuses to go on without one
 * when the worker runs code from models or from prompts others write, unless told to explicitly.
 */
export async function resolveSandbox(config: Config, notify: (line: string) => void): Promise<Sandbox> {
  const choice = await chooseSandbox({
    ...config.sandbox,
    workRoot: path.join(config.dataDir, 'cache', 'validation'),
  });
  const warning = sandboxRefusal(choice, untrustedSources(config));
  if (warning) notify(warning);
  if (config.sandbox.driver === 'none')
    notify(
      'AUTONOMA_SANDBOX=none: generated apps run as the worker itself, with its network and files (not its environment).',
    );
  return choice.sandbox;
}

export function createGenerator(
  config: Config,
  provider: ModelProvider,
  sandbox: Sandbox,
  templates?: TemplateStore,
  redactor: SecretRedactor = createSecretRedactor(config.secrets),
): AppGenerator {
  const cacheDir = path.join(config.dataDir, 'cache', 'deps');
  return createAgentPipeline({
    provider,
    connectTools: (workspaceDir) =>
      connectToolServers([
        createWorkspaceServer({ root: workspaceDir }),
        createCodeServer({ root: workspaceDir }),
        ...(templates ? [createTemplatesServer({ store: templates })] : []),
      ]),
    checkSyntax: (root) => checkSyntax(root),
    validateApp: (options) =>
      validateApp({
        ...options,
        sandbox,
        registry: config.validation.npmRegistry,
        isSecret: redactor.contains,
        redact: redactor.redact,
        // Smoke: the browser creates one record when a section offers a form (skipped otherwise).
        ...(config.validation.look ? { look: { ...config.validation.look, smoke: true } } : {}),
      }),
    cacheDir,
    scratchDir: path.join(config.dataDir, 'cache', 'validation'),
    validationTimeoutMs: config.validation.timeoutMs,
    validationJobTimeoutMs: config.validation.jobTimeoutMs,
    repairRounds: config.validation.repairRounds,
    secrets: config.secrets,
    // Every provider builds on the locked starter, so most builds resolve no dependencies at all.
    starter: (slug) => loadStarterFiles(slug),
  });
}

export interface WorkerHandle {
  worker: GenerationWorker;
  /** Present when this worker also handles chat deliveries (`inbox: true` and an adapter needs it). */
  inboxWorker?: InboxWorker;
  cancellations: CancellationRegistry;
  close(graceMs?: number): Promise<void>;
}

export interface StartWorkerOptions {
  concurrency?: number;
  outDir?: string;
  forge?: Forge;
  generator?: AppGenerator;
  /** Also handle the chat adapters' inbox (the `worker` command does; one-off builds do not). */
  inbox?: boolean;
  /** Where start-up warnings go (the sandbox in use); default: the logger. */
  notify?: (line: string) => void;
  /** The shared generation queue unless given (see startOwnBuildWorker). */
  queueName?: string;
  /** How long a job's lock lasts between renewals (see GenerationWorkerOptions). */
  lockDurationMs?: number;
}

/** A queue worker in this process, running the full agent pipeline and publishing through the forge. */
export async function startWorker(runtime: Runtime, options: StartWorkerOptions = {}): Promise<WorkerHandle> {
  const { config, logger } = runtime;
  // First: a worker that must not run (no sandbox) fails before it holds any connection.
  const generator =
    options.generator ??
    createGenerator(
      config,
      createProvider(config, { logger, prisma: runtime.prisma }),
      await resolveSandbox(config, options.notify ?? ((line) => logger.warn({}, line))),
      await createTemplates(config, logger, runtime.prisma),
      runtime.redactor,
    );
  // Every start-up check that can fail (the forge's credentials, the link secret) runs before the
  // worker opens connections of its own: a failed start then exits instead of idling on them.
  const links = await createConfiguredJobLinks(runtime);
  const forge = options.forge ?? (await createForge(config, logger, options.outDir, runtime.redactor));
  const workerConnection = createRedisConnection(config.redisUrl, 'worker');
  workerConnection.on('error', (error) => logger.debug({ err: error }, 'redis worker connection error'));
  const cancellations = createCancellationRegistry({
    connection: runtime.redis,
    namespace: config.queuePrefix,
    makeReason: () => new CancelledError('Cancelled at your request.'),
  });
  await cancellations.start().catch(async (error: unknown) => {
    await quitAll([workerConnection]);
    throw error;
  });
  const runner = createGenerationRunner({
    jobPageUrl: (requestId) => links.url(requestId),
    generator,
    forge,
    store: runtime.store,
    workspaceRoot: path.join(config.dataDir, 'workspaces'),
    license: config.github.license,
    privateRepos: config.github.privateRepos,
    logger,
    redact: runtime.redactor.redact,
  });
  const worker = startGenerationWorker({
    connection: workerConnection,
    concurrency: options.concurrency ?? config.worker.concurrency,
    processor: createGenerationProcessor({
      store: runtime.store,
      bus: runtime.bus,
      runner,
      cancellations,
      logger,
      redact: runtime.redactor.redact,
    }),
    logger,
    prefix: config.queuePrefix,
    ...(options.queueName ? { queueName: options.queueName } : {}),
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
  });
  const inboxWorker = options.inbox ? startChatInbox(runtime, workerConnection) : undefined;
  return {
    worker,
    ...(inboxWorker ? { inboxWorker } : {}),
    cancellations,
    async close(graceMs = 30_000) {
      await inboxWorker?.close();
      await worker.close({
        graceMs,
        onGraceExpired: () =>
          cancellations.abortAll(
            new AutonomaError('upstream_unavailable', 'The worker shut down; the job will be retried.', {
              retryable: true,
            }),
          ),
      });
      await cancellations.close();
      await quitAll([workerConnection]);
    },
  };
}

/**
 * The recovery sweeper (jobs/sweeper): requeues queued requests whose job Redis lost, and fails
 * running ones whose worker is gone for good. `autonoma worker` and `serve` run one each; a lease
 * lets one process at a time sweep. Not started; call start() (or sweepOnce()).
 */
export function createRecoverySweeper(runtime: Runtime, options: Partial<SweeperOptions> = {}): Sweeper {
  const { config } = runtime;
  return createSweeper({
    recovery: createPrismaRecoveryStore(runtime.prisma),
    store: runtime.store,
    bus: runtime.bus,
    probe: createJobProbe(runtime.redis, config.queuePrefix),
    producer: runtime.producer,
    state: runtime.state,
    inbox: { ledger: createPrismaInboxLedger(runtime.prisma), producer: runtime.inbox },
    logger: runtime.logger,
    options: { ...config.recovery, graceMs: 10_000, ...options },
  });
}

const OWN_BUILD_LOCK_MS = 5 * 60_000;

export interface OwnBuildWorker {
  /** Submits to this process's own queue; everything else (cancel, status) as any service. */
  service: GenerationService;
  close(graceMs?: number): Promise<void>;
}

/**
 * `autonoma build`'s worker: it runs only what this process submits, with this process's configuration,
 * and never takes another client's job from the shared queue. BullMQ workers take whatever job is next
 * in their queue (manual fetching too), so the build gets a queue of its own, removed when it is done;
 * requests still go through the GenerationService, and retries, locks and cancellation are BullMQ's as
 * for any worker.
 */
export async function startOwnBuildWorker(
  runtime: Runtime,
  options: Pick<StartWorkerOptions, 'outDir' | 'forge' | 'generator' | 'notify'> = {},
): Promise<OwnBuildWorker> {
  const { config } = runtime;
  const queueName = privateGenerationQueue(randomUUID());
  // No other worker reads this queue, so stall recovery buys nothing; a short lock would only be
  // lost (and the job run twice) when the build's own work keeps this process busy for seconds.
  const worker = await startWorker(runtime, {
    ...options,
    concurrency: 1,
    queueName,
    lockDurationMs: OWN_BUILD_LOCK_MS,
  });
  const producer = createGenerationProducer({
    connection: runtime.redis,
    attempts: config.worker.attempts,
    prefix: config.queuePrefix,
    name: queueName,
    // Noted per request, so recovery looks for this build's job in this queue, not the shared one.
    state: runtime.state,
  });
  producer.queue.on('error', (error) =>
    runtime.logger.debug({ err: error, queue: queueName }, 'queue connection error'),
  );
  return {
    service: createService(runtime, producer),
    async close(graceMs) {
      await worker.close(graceMs);
      // Nothing else reads this queue: its keys go with it.
      await producer.queue.obliterate({ force: true }).catch((error: unknown) => {
        runtime.logger.warn({ err: error, queue: queueName }, 'could not remove the build queue');
      });
      await producer.close();
    },
  };
}

/** `producer`: where submitted requests are queued; the shared generation queue by default. */
export function createService(
  runtime: Runtime,
  producer: GenerationProducer = runtime.producer,
): GenerationService {
  return createGenerationService({
    store: runtime.store,
    producer,
    bus: runtime.bus,
    redis: runtime.redis,
    namespace: runtime.config.queuePrefix,
    quotas: createPrismaQuotaStore(runtime.prisma, {
      limits: runtime.config.quotas,
      logger: runtime.logger,
    }),
  });
}

/** Both Slack secrets set: the web tier hosts the adapter and the worker tier starts its builds. */
const slackConfigured = (config: Config) => Boolean(config.slack.botToken && config.slack.signingSecret);

/** What the worker tier does for the chat adapters configured in the environment. */
function createInboxHandlers(runtime: Runtime, service: GenerationService): InboxHandler[] {
  const { config, logger, state } = runtime;
  const handlers: InboxHandler[] = [];
  if (slackConfigured(config)) {
    handlers.push(
      ...createSlackInboxHandlers({
        config: config.slack,
        service,
        state,
        logger,
      }),
    );
  }
  return handlers;
}

/**
 * The worker tier's half of the chat adapters: handles what their webhooks accepted (thread roots,
 * job submission). Undefined when no configured adapter needs it.
 */
export function startChatInbox(runtime: Runtime, connection: Redis): InboxWorker | undefined {
  const handlers = createInboxHandlers(runtime, createService(runtime));
  if (handlers.length === 0) return undefined;
  return startInboxWorker({
    connection,
    prefix: runtime.config.queuePrefix,
    handlers,
    logger: runtime.logger,
  });
}

/** The chat adapters configured in the environment (each needs its platform's secrets). */
export function createChatAdapters(runtime: Runtime, service: GenerationService): ChatAdapter[] {
  const { config, logger, state, store } = runtime;
  const adapters: ChatAdapter[] = [];
  if (config.github.appId) {
    adapters.push(
      createGitHubAppAdapter({
        config: config.github,
        service,
        store,
        state,
        logger,
        onToken: runtime.redactor.add,
      }),
    );
  }
  // Screenshots of a finished job go up into its Slack or Discord thread, read from its branch.
  const read = chatScreenshotReader(runtime);
  if (slackConfigured(config)) {
    const slack = createSlackAdapter({
      config: config.slack,
      service,
      inbox: runtime.inbox,
      state,
      logger,
    });
    adapters.push(withSlackScreenshots(slack, { client: slack.app.client, state, read, logger }));
  }
  if (config.discord.applicationId && config.discord.publicKey) {
    if (config.discord.allowedGuildIds.length === 0 && !config.discord.allowAllGuilds) {
      // The default since guild allow-lists became mandatory: say so once, not only in each refusal.
      logger.warn(
        {},
        'DISCORD_ALLOWED_GUILD_IDS is empty, so every Discord server is refused; list your server ids there, or set DISCORD_ALLOW_ALL_GUILDS=true',
      );
    }
    adapters.push(
      withDiscordScreenshots(createDiscordAdapter({ config: config.discord, service, state, logger }), {
        config: config.discord,
        state,
        read,
        logger,
      }),
    );
  }
  if (config.mcp.bearerToken || config.mcp.tokens) {
    adapters.push(
      createMcpAdapter({
        service,
        store,
        logger,
        bearerToken: config.mcp.bearerToken,
        tokens: config.mcp.tokens,
      }),
    );
  }
  return adapters;
}

/**
 * Job page links signed with AUTONOMA_LINK_SECRET, or the secret kept in the data directory; the
 * secret joins the redactor either way.
 */
export async function createConfiguredJobLinks(
  runtime: Pick<Runtime, 'config' | 'redactor'>,
): Promise<JobLinks> {
  const { config } = runtime;
  const secret = await resolveLinkSecret({ secret: config.jobLinks.secret, dataDir: config.dataDir });
  runtime.redactor.add(secret);
  return createJobLinks({ secret, publicUrl: config.jobLinks.publicUrl, ttlMs: config.jobLinks.ttlMs });
}

/** The forge the job page reads branches from; without one the page leaves out files and screenshots. */
async function jobPageForge(runtime: Runtime): Promise<Forge | undefined> {
  try {
    return await createForge(runtime.config, runtime.logger, undefined, runtime.redactor);
  } catch (error) {
    runtime.logger.warn({ err: error }, 'job page: no forge, so no files or screenshots on job pages');
    return undefined;
  }
}

/**
 * A job's screenshots as PNG bytes for the chat uploads: read from its pull request branch through
 * the forge, as the job page reads them; only files the result lists, only real PNGs, in its order.
 */
export function createScreenshotReader(files: BranchFiles): ReadScreenshots {
  return async (result, limits) => {
    const listed = (result.screenshots ?? []).filter((shot) => SCREENSHOT_FILE.test(shot.file));
    const tree = listed.length > 0 ? await files.load(result) : undefined;
    if (!tree) return [];
    const images: ScreenshotImage[] = [];
    for (const shot of listed) {
      if (images.length >= limits.maxFiles) break;
      const content = tree.get(`${SCREENSHOTS_DIR}/${shot.file}`);
      const decoded = content === undefined ? undefined : decodeFileContent(content);
      if (!decoded?.binary || decoded.bytes.length > limits.maxBytes || !pngSize(decoded.bytes)) continue;
      images.push({ file: shot.file, label: screenshotLabel(shot.file), png: decoded.bytes });
    }
    return images;
  };
}

/** `home-desktop.png` → "Home, desktop"; `book-loans-phone.png` → "Book loans, phone". */
function screenshotLabel(file: string): string {
  const [, name = file, viewport = ''] = SCREENSHOT_FILE.exec(file) ?? [];
  const page = name === 'created' ? 'After creating a record' : name.replace(/-/g, ' ');
  return `${page.charAt(0).toUpperCase()}${page.slice(1)}, ${viewport}`;
}

/** The reader over the job page's forge, made on first use (a GitHub forge looks up its installation). */
function chatScreenshotReader(runtime: Runtime): ReadScreenshots {
  let reader: Promise<ReadScreenshots> | undefined;
  return async (result, limits) => {
    reader ??= jobPageForge(runtime).then((forge) =>
      createScreenshotReader(createBranchFiles({ ...(forge ? { forge } : {}), logger: runtime.logger })),
    );
    return (await reader)(result, limits);
  };
}

/**
 * Live previews for job pages (AUTONOMA_PREVIEW): the app of a job's branch run in the sandbox for a
 * limited time. Only in a real sandbox, unless AUTONOMA_SANDBOX=none says otherwise: anyone holding
 * a job link could start one.
 */
export async function createPreviews(runtime: Runtime): Promise<PreviewManager | null> {
  const { config, logger } = runtime;
  if (!config.preview) return null;
  const cache = path.join(config.dataDir, 'cache');
  const choice = await chooseSandbox({ ...config.sandbox, workRoot: path.join(cache, 'previews') }).catch(
    (error: unknown) => {
      // The server still serves job pages; the worker, which needs the sandbox, reports it too.
      logger.warn({ err: error }, 'job page previews are off: the sandbox does not work here');
      return undefined;
    },
  );
  if (!choice) return null;
  if (choice.fallback) {
    logger.warn({}, `job page previews are off: no sandbox (${choice.missing ?? 'none found'})`);
    return null;
  }
  await removeOrphanedPreviews(path.join(cache, 'previews'));
  return createPreviewManager({
    runner: createSandboxPreviewRunner({
      sandbox: choice.sandbox,
      rootDir: path.join(cache, 'previews', String(process.pid)),
      cacheDir: path.join(cache, 'deps'),
      registry: config.validation.npmRegistry,
      maxRunMs: config.preview.lifetimeMs + 60_000,
      installTimeoutMs: config.validation.timeoutMs,
      buildTimeoutMs: config.validation.timeoutMs,
      isSecret: runtime.redactor.contains,
      redact: runtime.redactor.redact,
    }),
    lifetimeMs: config.preview.lifetimeMs,
    max: config.preview.max,
    logger,
  });
}

/** The HTTP server: health, readiness, metrics, job pages; the chat adapters' webhooks mount here. */
export async function startServer(
  runtime: Runtime,
  adapters: ChatAdapter[] = [],
  /** `previews`: the job pages' live previews; null for none, default from config (AUTONOMA_PREVIEW). */
  options: { forge?: Forge; previews?: PreviewManager | null } = {},
) {
  const { config, logger, prisma } = runtime;
  const forge = options.forge ?? (await jobPageForge(runtime));
  const previews =
    options.previews === undefined ? forge && (await createPreviews(runtime)) : options.previews;
  const jobPage = createJobPage({
    links: await createConfiguredJobLinks(runtime),
    store: runtime.store,
    progress: runtime.bus,
    ...(forge ? { forge } : {}),
    ...(previews && config.preview
      ? { previews: { manager: previews, lifetimeMs: config.preview.lifetimeMs } }
      : {}),
    logger,
  });
  const metrics = createMetrics({
    logger,
    collectJobStates: async () => {
      const rows = await prisma.generationRequest.groupBy({ by: ['status'], _count: { _all: true } });
      return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
    },
    collectQueueDepth: () => runtime.producer.depth(),
  });
  const app = createHttpApp({
    logger,
    bodyLimit: config.http.bodyLimit,
    metrics,
    readiness: {
      postgres: postgresCheck((sql) => prisma.$queryRawUnsafe(sql)),
      redis: redisCheck(runtime.redis),
    },
    mount: (express) => {
      express.use(jobPage.router);
      for (const route of adapters.flatMap((a) => a.routes ?? [])) express.use(route.path, route.handler);
    },
  });
  const fanOut = createProgressFanOut({
    bus: runtime.bus,
    store: runtime.store,
    state: runtime.state,
    adapters,
    logger,
  });
  await fanOut.start();
  await jobPage.start();
  for (const adapter of adapters) await adapter.start?.();
  const server = await startHttpServer(app, { host: config.http.host, port: config.http.port });
  return {
    url: server.url,
    async close() {
      // Live job pages would otherwise hold the shutdown until its timeout.
      jobPage.close();
      await previews?.close();
      await server.close();
      // Events first (the last replies go out and the reply leases are handed back), then the
      // adapters flush what they hold.
      await fanOut.stop();
      for (const adapter of adapters) await adapter.stop?.();
    },
  };
}
