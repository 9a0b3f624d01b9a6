import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { secretsFromUrls } from './secrets/secret-redactor.js';

/**
 * The whole environment in one zod schema. Precedence: explicit override, then env var, then a
 * default that works on a developer machine with local Postgres and Redis and no API keys.
 */
const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A comma-separated list whose items must match `pattern`; unset or empty is an empty list. */
const commaList = (pattern: RegExp, message: string) =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(pattern, message)));

/** Ids such as "T0123,T0456"; empty means no restriction. */
const idList = (example: string) =>
  commaList(/^[A-Za-z0-9_.:@-]{1,100}$/, `must be a comma-separated list of ids, e.g. ${example}`);

const url = (example: string, protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL, e.g. ${example}` },
  );

const optionalUrl = (example: string) => url(example, ['http:', 'https:']).optional();

const positiveInt = (example: number) =>
  z.coerce
    .number({ message: `must be a whole number, e.g. ${example}` })
    .int()
    .positive();
const positiveNumber = (example: number) =>
  z.coerce.number({ message: `must be a number, e.g. ${example}` }).positive();
/** A quota: a whole number, 0 for unlimited. */
const quota = (fallback: number) =>
  z.coerce
    .number({ message: `must be a whole number (0 = unlimited), e.g. ${fallback}` })
    .int(`must be a whole number (0 = unlimited), e.g. ${fallback}`)
    .min(0, `must be 0 (unlimited) or more, e.g. ${fallback}`)
    .default(fallback);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: url('postgresql://postgres@127.0.0.1:5432/autonoma', ['postgres:', 'postgresql:']).default(
    'postgresql://postgres@127.0.0.1:5432/autonoma',
  ),
  REDIS_URL: url('redis://127.0.0.1:6379', ['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce
    .number({ message: 'must be a port number, e.g. 3000' })
    .int()
    .min(1, 'must be a port number between 1 and 65535')
    .max(65535, 'must be a port number between 1 and 65535')
    .default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REQUEST_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, 'must be a size such as 512kb or 1mb')
    .default('1mb'),

  AUTONOMA_DATA_DIR: z.string().min(1).default('.autonoma'),
  AUTONOMA_FORGE: z.enum(['local', 'github']).optional(),
  AUTONOMA_PROVIDER: z.enum(['offline', 'openai', 'anthropic']).optional(),
  AUTONOMA_GITHUB_OWNER: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'must be a GitHub user or organisation login, e.g. acme')
    .optional(),
  AUTONOMA_REPO_PRIVATE: z.enum(['true', 'false']).default('true'),
  AUTONOMA_LICENSE: z.enum(['MIT', 'Apache-2.0', 'none']).default('MIT'),
  AUTONOMA_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, _ or -, e.g. autonoma')
    .default('autonoma'),
  WORKER_CONCURRENCY: positiveInt(2).max(64).default(2),
  WORKER_NICE: z.coerce
    .number({ message: 'must be a niceness from 0 (normal priority) to 19 (lowest), e.g. 10' })
    .int('must be a whole number from 0 to 19, e.g. 10')
    .min(0, 'must be from 0 (normal priority) to 19 (lowest), e.g. 10')
    .max(19, 'must be from 0 (normal priority) to 19 (lowest), e.g. 10')
    .default(10),
  JOB_ATTEMPTS: positiveInt(3).max(20).default(3),
  /** Recovery sweeper (jobs/sweeper): how often it looks for requests whose job was lost. */
  AUTONOMA_RECOVERY_INTERVAL_MS: positiveInt(30000).min(1000).default(30_000),
  /** How long a job may sit active with no worker holding its lock before its request is failed. */
  AUTONOMA_RECOVERY_STALL_MS: positiveInt(120000).min(1000).default(120_000),
  /** Requests examined per status per sweep. */
  AUTONOMA_RECOVERY_BATCH: positiveInt(50).max(1000).default(50),
  AUTONOMA_VALIDATION_TIMEOUT_MS: positiveInt(300000).default(600000),
  AUTONOMA_REPAIR_ROUNDS: z.coerce.number().int().min(0).max(5).default(2),
  /** All of a job's validation rounds together; each step also stops at AUTONOMA_VALIDATION_TIMEOUT_MS. */
  AUTONOMA_VALIDATION_JOB_TIMEOUT_MS: positiveInt(1800000).default(1_800_000),
  /** `auto`: after a passing build, start the app and screenshot it in headless Chromium when one is found. */
  AUTONOMA_LOOK: z.enum(['auto', 'off']).default('auto'),
  /** Chromium's executable (Debian's /usr/lib/chromium/chromium is found without it). */
  AUTONOMA_BROWSER_PATH: z.string().min(1).max(500).optional(),
  AUTONOMA_LOOK_TIMEOUT_MS: positiveInt(120000).default(120_000),
  /** Where generated code runs: unset picks the strongest available (bwrap, then docker). */
  AUTONOMA_SANDBOX: z.enum(['bwrap', 'docker', 'none']).optional(),
  AUTONOMA_SANDBOX_IMAGE: z.string().min(1).max(200).default('node:20-bookworm-slim'),
  AUTONOMA_SANDBOX_NETWORK: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'must be a Docker network name, e.g. bridge')
    .default('bridge'),
  AUTONOMA_SANDBOX_PROCESSES: positiveInt(512).max(100000).default(512),
  AUTONOMA_SANDBOX_MEMORY_MB: positiveInt(4096).default(4096),
  AUTONOMA_SANDBOX_DISK_MB: positiveInt(2048).default(2048),
  AUTONOMA_SANDBOX_FILE_MB: positiveInt(1024).default(1024),
  AUTONOMA_SANDBOX_TMP_MB: positiveInt(1024).default(1024),
  AUTONOMA_NPM_REGISTRY: url('https://registry.npmjs.org/', ['https:', 'http:']).default(
    'https://registry.npmjs.org/',
  ),
  AUTONOMA_JOB_BUDGET_USD: positiveNumber(2).default(2),
  AUTONOMA_JOB_BUDGET_TOKENS: positiveInt(2000000).default(2_000_000),
  AUTONOMA_DAILY_BUDGET_USD: positiveNumber(20).default(20),
  AUTONOMA_DAILY_BUDGET_TOKENS: positiveInt(20000000).default(20_000_000),
  /** Per-user and per-workspace quotas (0 = unlimited): builds started per hour, jobs queued or running at once. */
  AUTONOMA_QUOTA_USER_BUILDS_PER_HOUR: quota(10),
  AUTONOMA_QUOTA_USER_CONCURRENT: quota(2),
  AUTONOMA_QUOTA_WORKSPACE_BUILDS_PER_HOUR: quota(50),
  AUTONOMA_QUOTA_WORKSPACE_CONCURRENT: quota(5),

  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_BOT_TOKEN: optionalSecret.refine(
    (v) => v === undefined || v.startsWith('xoxb-'),
    'must start with xoxb-',
  ),
  SLACK_APP_TOKEN: optionalSecret.refine(
    (v) => v === undefined || v.startsWith('xapp-'),
    'must start with xapp-',
  ),
  SLACK_API_URL: optionalUrl('https://slack.com/api/'),
  SLACK_ALLOWED_TEAM_IDS: idList('T0123ABCD,T0456EFGH'),
  SLACK_ALLOWED_CHANNEL_IDS: idList('C0123ABCD'),

  DISCORD_APPLICATION_ID: optionalSecret.refine(
    (v) => v === undefined || /^\d{5,25}$/.test(v),
    'must be a numeric id',
  ),
  DISCORD_PUBLIC_KEY: optionalSecret.refine(
    (v) => v === undefined || /^[0-9a-f]{64}$/i.test(v),
    'must be 64 hex characters (General Information → Public Key)',
  ),
  DISCORD_BOT_TOKEN: optionalSecret,
  DISCORD_API_URL: optionalUrl('https://discord.com/api'),
  DISCORD_MODE: z.enum(['http', 'gateway']).default('http'),
  DISCORD_ALLOWED_GUILD_IDS: idList('123456789012345678'),
  DISCORD_ALLOWED_CHANNEL_IDS: idList('123456789012345678'),
  DISCORD_ALLOWED_ROLE_IDS: idList('123456789012345678'),
  /** With DISCORD_ALLOWED_GUILD_IDS empty, every server is refused unless this is true. */
  DISCORD_ALLOW_ALL_GUILDS: z.enum(['true', 'false']).default('false'),

  GITHUB_APP_ID: optionalSecret.refine(
    (v) => v === undefined || /^\d+$/.test(v),
    'must be the numeric App ID',
  ),
  GITHUB_PRIVATE_KEY: optionalSecret,
  GITHUB_WEBHOOK_SECRET: optionalSecret,
  GITHUB_TOKEN: optionalSecret,
  GITHUB_API_URL: optionalUrl('https://api.github.com'),
  GITHUB_WEB_URL: optionalUrl('https://github.com'),
  GITHUB_APP_SLUG: z
    .string()
    .regex(/^[a-z0-9-]{1,34}$/, 'must be the App slug from its URL, e.g. autonoma')
    .default('autonoma'),
  GITHUB_TRIGGER_LABEL: z.string().min(1).max(50).default('autonoma'),
  GITHUB_ALLOWED_USERS: idList('octocat,hubot'),
  GITHUB_ITERATION_POLICY: z.enum(['review', 'mention', 'review-and-mention']).default('review-and-mention'),
  GITHUB_MAX_ITERATIONS: positiveInt(10).max(100).default(10),

  OPENAI_API_KEY: optionalSecret,
  OPENAI_BASE_URL: optionalUrl('https://api.openai.com/v1'),
  OPENAI_MODEL: z.string().min(1).max(100).default('gpt-4.1'),
  ANTHROPIC_API_KEY: optionalSecret,
  ANTHROPIC_BASE_URL: optionalUrl('https://api.anthropic.com'),
  ANTHROPIC_MODEL: z.string().min(1).max(100).default('claude-sonnet-4-6'),
  /** Per-role model overrides, e.g. "frontend=gpt-4.1-mini,review=gpt-4.1-mini". */
  AUTONOMA_AGENT_MODELS: commaList(
    /^[a-z]+=[A-Za-z0-9._:/-]+$/,
    'must look like frontend=gpt-4.1-mini,review=gpt-4.1-mini',
  ),
  /** JSON price table overriding the built-in one, USD per million tokens: {"model": {"input": 2, "output": 8}}. */
  AUTONOMA_MODEL_PRICES: z.string().optional(),

  PUBLIC_URL: optionalUrl('https://autonoma.example.com'),
  /** Base URL of `autonoma serve` in job page links; PUBLIC_URL, then http://127.0.0.1:PORT, when unset. */
  AUTONOMA_PUBLIC_URL: optionalUrl('https://autonoma.example.com'),
  /** Signs job page links; unset: a random one kept in AUTONOMA_DATA_DIR (one machine only). */
  AUTONOMA_LINK_SECRET: optionalSecret.refine(
    (v) => v === undefined || v.length >= 32,
    'must be at least 32 characters, e.g. the output of `openssl rand -hex 32`',
  ),
  /** `on`: job pages offer a live preview of the app, run in the sandbox for a limited time. */
  AUTONOMA_PREVIEW: z.enum(['on', 'off']).default('on'),
  AUTONOMA_PREVIEW_MINUTES: positiveNumber(30)
    .max(24 * 60)
    .default(30),
  AUTONOMA_PREVIEW_MAX: positiveInt(3).max(50).default(3),
  AUTONOMA_LINK_TTL_HOURS: positiveInt(168)
    .max(24 * 366)
    .default(168),
  MCP_BEARER_TOKEN: optionalSecret.refine(
    (v) => v === undefined || v.length >= 16,
    'must be at least 16 characters',
  ),
  /** Named MCP tokens with a scope and an optional tenant (adapters/mcp/mcp-tokens.ts parses them). */
  MCP_TOKENS: optionalSecret,
  /** Who may change, cancel or retry anyone's job: "slack:U123,discord:456,github:octocat". */
  AUTONOMA_ADMINS: commaList(
    /^(slack|discord|github):[A-Za-z0-9_.@-]{1,100}$/,
    'must be a comma-separated list of platform:id, e.g. slack:U0123ABCD,discord:123456789012345678,github:octocat',
  ),
});

type Env = z.infer<typeof EnvSchema>;
const MIB = 1024 * 1024;

/** Cross-field rules: a platform that is half configured is an error, not a silent no-op. */
function crossFieldProblems(env: Env): Array<{ name: string; message: string }> {
  const problems: Array<{ name: string; message: string }> = [];
  const requireWith = (needed: keyof Env, because: keyof Env, hint: string) => {
    if (env[because] !== undefined && env[needed] === undefined) {
      problems.push({ name: needed, message: `is required when ${because} is set; ${hint}` });
    }
  };
  requireWith('SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'copy it from Basic Information → App Credentials');
  requireWith('SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'copy it from OAuth & Permissions (xoxb-…)');
  requireWith(
    'DISCORD_PUBLIC_KEY',
    'DISCORD_APPLICATION_ID',
    'copy it from General Information → Public Key',
  );
  requireWith(
    'DISCORD_APPLICATION_ID',
    'DISCORD_PUBLIC_KEY',
    'copy it from General Information → Application ID',
  );
  requireWith('GITHUB_PRIVATE_KEY', 'GITHUB_APP_ID', "paste the App's private key (PEM)");
  requireWith(
    'GITHUB_WEBHOOK_SECRET',
    'GITHUB_APP_ID',
    "it must match the webhook secret in your GitHub App's settings",
  );
  requireWith('GITHUB_APP_ID', 'GITHUB_PRIVATE_KEY', 'the numeric App ID from the GitHub App settings page');
  if (env.GITHUB_PRIVATE_KEY !== undefined && !env.GITHUB_PRIVATE_KEY.includes('PRIVATE KEY')) {
    problems.push({
      name: 'GITHUB_PRIVATE_KEY',
      message: 'must be a PEM private key (-----BEGIN RSA PRIVATE KEY-----…)',
    });
  }
  if (env.AUTONOMA_FORGE === 'github' && env.GITHUB_TOKEN === undefined && env.GITHUB_APP_ID === undefined) {
    problems.push({
      name: 'GITHUB_TOKEN',
      message: 'is required when AUTONOMA_FORGE=github (or configure a GitHub App with GITHUB_APP_ID)',
    });
  }
  if (
    env.AUTONOMA_PROVIDER === 'openai' &&
    env.OPENAI_API_KEY === undefined &&
    env.OPENAI_BASE_URL === undefined
  ) {
    problems.push({ name: 'OPENAI_API_KEY', message: 'is required when AUTONOMA_PROVIDER=openai' });
  }
  if (env.AUTONOMA_PROVIDER === 'anthropic' && env.ANTHROPIC_API_KEY === undefined) {
    problems.push({ name: 'ANTHROPIC_API_KEY', message: 'is required when AUTONOMA_PROVIDER=anthropic' });
  }
  return problems;
}

export interface Config {
  env: Env['NODE_ENV'];
  databaseUrl: string;
  redisUrl: string;
  http: { host: string; port: number; bodyLimit: string };
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  forge: 'local' | 'github';
  provider: 'offline' | 'openai' | 'anthropic';
  /** `nice`: CPU niceness of worker processes (and the builds they run), so the web tier's acks stay fast. */
  worker: { concurrency: number; attempts: number; nice: number };
  /** The recovery sweeper's period, stall limit and batch (see jobs/sweeper/sweeper.ts). */
  recovery: { intervalMs: number; stallMs: number; batch: number };
  /** Prefix of every Redis key and channel (queues, progress, cancellation) of this deployment. */
  queuePrefix: string;
  validation: {
    timeoutMs: number;
    jobTimeoutMs: number;
    repairRounds: number;
    npmRegistry: string;
    /** Start the built app and look at it in headless Chromium; undefined when turned off. */
    look?: { browserPath?: string; timeoutMs: number };
  };
  /** `driver` undefined: pick the strongest available at start-up (see agents/sandbox). */
  sandbox: {
    driver: 'bwrap' | 'docker' | 'none' | undefined;
    image: string;
    network: string;
    limits: {
      processes: number;
      openFiles: number;
      fileSizeBytes: number;
      diskBytes: number;
      tmpBytes: number;
      memoryBytes: number;
    };
  };
  budgets: { jobUsd: number; jobTokens: number; dailyUsd: number; dailyTokens: number };
  /** Per user and per workspace (Slack workspace, Discord server, GitHub App installation); 0 = unlimited. */
  quotas: {
    userBuildsPerHour: number;
    userConcurrent: number;
    workspaceBuildsPerHour: number;
    workspaceConcurrent: number;
  };
  publicUrl: string | undefined;
  /**
   * Signed job page links. `secret` undefined: resolveLinkSecret (core/job-links.ts) makes one in
   * `dataDir` and reuses it.
   */
  jobLinks: { publicUrl: string; secret: string | undefined; ttlMs: number };
  /** Live previews on job pages (agents/preview): how long each runs, how many at once; undefined when off. */
  preview?: { lifetimeMs: number; max: number };
  github: {
    owner: string | undefined;
    apiUrl: string;
    webUrl: string;
    appSlug: string;
    triggerLabel: string;
    allowedUsers: string[];
    /** GitHub logins (or numeric ids) from AUTONOMA_ADMINS. */
    admins: string[];
    iterationPolicy: Env['GITHUB_ITERATION_POLICY'];
    maxIterations: number;
    token: string | undefined;
    appId: string | undefined;
    privateKey: string | undefined;
    webhookSecret: string | undefined;
    privateRepos: boolean;
    license: Env['AUTONOMA_LICENSE'];
  };
  slack: {
    signingSecret?: string;
    botToken?: string;
    appToken?: string;
    apiUrl: string;
    allowedTeamIds: string[];
    allowedChannelIds: string[];
    /** Slack user ids from AUTONOMA_ADMINS. */
    admins: string[];
  };
  discord: {
    applicationId?: string;
    publicKey?: string;
    botToken?: string;
    apiUrl: string;
    mode: 'http' | 'gateway';
    allowedGuildIds: string[];
    allowedChannelIds: string[];
    allowedRoleIds: string[];
    /** DISCORD_ALLOW_ALL_GUILDS: an empty guild allow-list admits every server. */
    allowAllGuilds: boolean;
    /** Discord user ids from AUTONOMA_ADMINS. */
    admins: string[];
  };
  openai: { apiKey?: string; baseUrl?: string; model: string };
  anthropic: { apiKey?: string; baseUrl?: string; model: string };
  /** Model per agent role, overriding the provider's default model. */
  agentModels: Record<string, string>;
  /** Raw JSON price-table override (validated by the providers that use it). */
  modelPrices: string | undefined;
  /** `tokens`: MCP_TOKENS, raw; parsed and checked by the MCP adapter at start-up. */
  mcp: { bearerToken?: string; tokens?: string };
  /** Every secret value, so loggers and output scanners can redact them. */
  secrets: string[];
}

/** AUTONOMA_ADMINS entries of one platform, without the prefix. */
function adminsOf(entries: string[], platform: 'slack' | 'discord' | 'github'): string[] {
  return entries.filter((e) => e.startsWith(`${platform}:`)).map((e) => e.slice(platform.length + 1));
}

/**
 * The secret part of each MCP_TOKENS entry, for redaction: the last field of `name:scope:tenant:secret`,
 * or `secret` in the JSON form. Whatever does not parse is redacted whole.
 */
function mcpTokenSecrets(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  if (raw.startsWith('[')) {
    try {
      const list = JSON.parse(raw) as unknown;
      if (Array.isArray(list)) {
        return list.flatMap((t) =>
          typeof (t as { secret?: unknown })?.secret === 'string' ? [(t as { secret: string }).secret] : [],
        );
      }
    } catch {
      return [raw];
    }
    return [raw];
  }
  return raw.split(',').map((entry) => entry.trim().split(':').slice(3).join(':') || entry.trim());
}

/** Shows what was given without ever echoing a secret. */
function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'it is not set';
  if (/SECRET|TOKEN|KEY|PASSWORD/.test(name)) return 'the value given is hidden';
  return `got "${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;
}

export function loadConfig(
  source: NodeJS.ProcessEnv = process.env,
  overrides: Partial<NodeJS.ProcessEnv> = {},
): Config {
  const raw = { ...source, ...overrides };
  const parsed = EnvSchema.safeParse(raw);
  const problems: Array<{ name: string; message: string }> = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '(environment)');
      problems.push({ name, message: `${issue.message} (${describeValue(name, raw[name])})` });
    }
  } else {
    problems.push(...crossFieldProblems(parsed.data));
  }
  if (problems.length > 0 || !parsed.success) {
    const lines = problems.map((p) => `  - ${p.name}: ${p.message}`);
    throw new ConfigError(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}\n` +
        'Fix these environment variables (see .env.example) and start again.',
    );
  }
  const env = parsed.data;
  const hasGithub = env.GITHUB_TOKEN !== undefined || env.GITHUB_APP_ID !== undefined;
  const provider =
    env.AUTONOMA_PROVIDER ??
    (env.OPENAI_API_KEY ? 'openai' : env.ANTHROPIC_API_KEY ? 'anthropic' : 'offline');
  const secrets = [
    env.SLACK_SIGNING_SECRET,
    env.SLACK_BOT_TOKEN,
    env.SLACK_APP_TOKEN,
    env.DISCORD_PUBLIC_KEY,
    env.DISCORD_BOT_TOKEN,
    env.GITHUB_PRIVATE_KEY,
    env.GITHUB_WEBHOOK_SECRET,
    env.GITHUB_TOKEN,
    env.OPENAI_API_KEY,
    env.ANTHROPIC_API_KEY,
    env.MCP_BEARER_TOKEN,
    ...mcpTokenSecrets(env.MCP_TOKENS),
    env.AUTONOMA_LINK_SECRET,
    ...secretsFromUrls([env.DATABASE_URL, env.REDIS_URL]),
  ].filter((s): s is string => s !== undefined && s.length >= 6);
  return {
    env: env.NODE_ENV,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    http: { host: env.HOST, port: env.PORT, bodyLimit: env.REQUEST_BODY_LIMIT },
    logLevel: env.LOG_LEVEL,
    dataDir: path.resolve(env.AUTONOMA_DATA_DIR),
    forge: env.AUTONOMA_FORGE ?? (hasGithub && env.AUTONOMA_GITHUB_OWNER ? 'github' : 'local'),
    provider,
    worker: { concurrency: env.WORKER_CONCURRENCY, attempts: env.JOB_ATTEMPTS, nice: env.WORKER_NICE },
    recovery: {
      intervalMs: env.AUTONOMA_RECOVERY_INTERVAL_MS,
      stallMs: env.AUTONOMA_RECOVERY_STALL_MS,
      batch: env.AUTONOMA_RECOVERY_BATCH,
    },
    queuePrefix: env.AUTONOMA_QUEUE_PREFIX,
    validation: {
      timeoutMs: env.AUTONOMA_VALIDATION_TIMEOUT_MS,
      jobTimeoutMs: env.AUTONOMA_VALIDATION_JOB_TIMEOUT_MS,
      repairRounds: env.AUTONOMA_REPAIR_ROUNDS,
      ...(env.AUTONOMA_LOOK === 'off'
        ? {}
        : {
            look: {
              timeoutMs: env.AUTONOMA_LOOK_TIMEOUT_MS,
              ...(env.AUTONOMA_BROWSER_PATH ? { browserPath: env.AUTONOMA_BROWSER_PATH } : {}),
            },
          }),
      npmRegistry: env.AUTONOMA_NPM_REGISTRY.endsWith('/')
        ? env.AUTONOMA_NPM_REGISTRY
        : `${env.AUTONOMA_NPM_REGISTRY}/`,
    },
    sandbox: {
      driver: env.AUTONOMA_SANDBOX,
      image: env.AUTONOMA_SANDBOX_IMAGE,
      network: env.AUTONOMA_SANDBOX_NETWORK,
      limits: {
        processes: env.AUTONOMA_SANDBOX_PROCESSES,
        openFiles: 4096,
        fileSizeBytes: env.AUTONOMA_SANDBOX_FILE_MB * MIB,
        diskBytes: env.AUTONOMA_SANDBOX_DISK_MB * MIB,
        tmpBytes: env.AUTONOMA_SANDBOX_TMP_MB * MIB,
        memoryBytes: env.AUTONOMA_SANDBOX_MEMORY_MB * MIB,
      },
    },
    budgets: {
      jobUsd: env.AUTONOMA_JOB_BUDGET_USD,
      jobTokens: env.AUTONOMA_JOB_BUDGET_TOKENS,
      dailyUsd: env.AUTONOMA_DAILY_BUDGET_USD,
      dailyTokens: env.AUTONOMA_DAILY_BUDGET_TOKENS,
    },
    quotas: {
      userBuildsPerHour: env.AUTONOMA_QUOTA_USER_BUILDS_PER_HOUR,
      userConcurrent: env.AUTONOMA_QUOTA_USER_CONCURRENT,
      workspaceBuildsPerHour: env.AUTONOMA_QUOTA_WORKSPACE_BUILDS_PER_HOUR,
      workspaceConcurrent: env.AUTONOMA_QUOTA_WORKSPACE_CONCURRENT,
    },
    publicUrl: env.PUBLIC_URL,
    jobLinks: {
      publicUrl: env.AUTONOMA_PUBLIC_URL ?? env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`,
      secret: env.AUTONOMA_LINK_SECRET,
      ttlMs: env.AUTONOMA_LINK_TTL_HOURS * 3600 * 1000,
    },
    ...(env.AUTONOMA_PREVIEW === 'off'
      ? {}
      : {
          preview: {
            lifetimeMs: Math.round(env.AUTONOMA_PREVIEW_MINUTES * 60_000),
            max: env.AUTONOMA_PREVIEW_MAX,
          },
        }),
    github: {
      owner: env.AUTONOMA_GITHUB_OWNER,
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      webUrl: env.GITHUB_WEB_URL ?? 'https://github.com',
      appSlug: env.GITHUB_APP_SLUG,
      triggerLabel: env.GITHUB_TRIGGER_LABEL,
      allowedUsers: env.GITHUB_ALLOWED_USERS,
      admins: adminsOf(env.AUTONOMA_ADMINS, 'github'),
      iterationPolicy: env.GITHUB_ITERATION_POLICY,
      maxIterations: env.GITHUB_MAX_ITERATIONS,
      token: env.GITHUB_TOKEN,
      appId: env.GITHUB_APP_ID,
      privateKey: env.GITHUB_PRIVATE_KEY?.replace(/\\n/g, '\n'),
      webhookSecret: env.GITHUB_WEBHOOK_SECRET,
      privateRepos: env.AUTONOMA_REPO_PRIVATE === 'true',
      license: env.AUTONOMA_LICENSE,
    },
    slack: {
      signingSecret: env.SLACK_SIGNING_SECRET,
      botToken: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL ?? 'https://slack.com/api/',
      allowedTeamIds: env.SLACK_ALLOWED_TEAM_IDS,
      allowedChannelIds: env.SLACK_ALLOWED_CHANNEL_IDS,
      admins: adminsOf(env.AUTONOMA_ADMINS, 'slack'),
    },
    discord: {
      applicationId: env.DISCORD_APPLICATION_ID,
      publicKey: env.DISCORD_PUBLIC_KEY,
      botToken: env.DISCORD_BOT_TOKEN,
      apiUrl: env.DISCORD_API_URL ?? 'https://discord.com/api',
      mode: env.DISCORD_MODE,
      allowedGuildIds: env.DISCORD_ALLOWED_GUILD_IDS,
      allowedChannelIds: env.DISCORD_ALLOWED_CHANNEL_IDS,
      allowedRoleIds: env.DISCORD_ALLOWED_ROLE_IDS,
      allowAllGuilds: env.DISCORD_ALLOW_ALL_GUILDS === 'true',
      admins: adminsOf(env.AUTONOMA_ADMINS, 'discord'),
    },
    openai: { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL },
    anthropic: { apiKey: env.ANTHROPIC_API_KEY, baseUrl: env.ANTHROPIC_BASE_URL, model: env.ANTHROPIC_MODEL },
    agentModels: Object.fromEntries(
      env.AUTONOMA_AGENT_MODELS.map((pair) => pair.split('=') as [string, string]),
    ),
    modelPrices: env.AUTONOMA_MODEL_PRICES,
    mcp: { bearerToken: env.MCP_BEARER_TOKEN, ...(env.MCP_TOKENS ? { tokens: env.MCP_TOKENS } : {}) },
    secrets,
  };
}
