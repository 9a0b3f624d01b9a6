import { z } from 'zod';

export const PLATFORMS = ['slack', 'discord', 'github', 'cli', 'mcp'] as const;
export const PlatformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof PlatformSchema>;

/** Prompts are untrusted user text: bounded, and never interpreted as instructions to Autonoma. */
export const PROMPT_MAX_CHARS = 4000;
export const PromptSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(3, 'Describe the app in a few words, e.g. "a todo app with tags".')
      .max(PROMPT_MAX_CHARS, `Keep the description under ${PROMPT_MAX_CHARS} characters.`),
  );

/** Where a request's progress is replied to; stored with the request so a thread survives restarts. */
export const ThreadRefSchema = z.discriminatedUnion('platform', [
  z.object({ platform: z.literal('cli') }),
  z.object({ platform: z.literal('mcp'), clientName: z.string().max(200).optional() }),
  z.object({
    platform: z.literal('slack'),
    teamId: z.string().max(64),
    channelId: z.string().max(64),
    threadTs: z.string().max(64).optional(),
    statusMessageTs: z.string().max(64).optional(),
  }),
  z.object({
    platform: z.literal('discord'),
    applicationId: z.string().max(64),
    guildId: z.string().max(64).optional(),
    channelId: z.string().max(64),
    threadId: z.string().max(64).optional(),
    messageId: z.string().max(64).optional(),
  }),
  z.object({
    platform: z.literal('github'),
    installationId: z.number().int().positive(),
    owner: z.string().max(100),
    repo: z.string().max(100),
    issueNumber: z.number().int().positive(),
    commentId: z.number().int().positive().optional(),
  }),
]);
export type ThreadRef = z.infer<typeof ThreadRefSchema>;

export const IdentityRefSchema = z.object({
  platform: PlatformSchema,
  externalId: z.string().min(1).max(128),
  displayName: z.string().max(200).optional(),
});
export type IdentityRef = z.infer<typeof IdentityRefSchema>;

/** For iterations: the pull request whose branch gets the new commit. */
export const PullRequestTargetSchema = z.object({
  forge: z.string().min(1).max(40),
  repo: z.string().min(1).max(200),
  number: z.number().int().positive(),
  branch: z.string().min(1).max(200),
});
export type PullRequestTarget = z.infer<typeof PullRequestTargetSchema>;

/** What every adapter hands to core: validated once here, stored, then queued. */
export const GenerationRequestInputSchema = z.object({
  kind: z.enum(['build', 'iterate']).default('build'),
  prompt: PromptSchema,
  source: PlatformSchema,
  thread: ThreadRefSchema,
  /** Derived from the platform's own event id (Slack trigger id, GitHub delivery id, …). */
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9:._-]+$/, 'use letters, digits and : . _ - only'),
  requester: IdentityRefSchema.optional(),
  installation: IdentityRefSchema.optional(),
  parentRequestId: z.string().uuid().optional(),
  target: PullRequestTargetSchema.optional(),
});
export type GenerationRequestInput = z.input<typeof GenerationRequestInputSchema>;
export type ValidGenerationRequestInput = z.output<typeof GenerationRequestInputSchema>;

export const REQUEST_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const TERMINAL_STATUSES: ReadonlySet<RequestStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface GenerationRequest {
  id: string;
  kind: 'build' | 'iterate';
  prompt: string;
  source: Platform;
  thread: ThreadRef;
  idempotencyKey: string;
  status: RequestStatus;
  stage: string | null;
  percent: number;
  errorCode: string | null;
  errorMessage: string | null;
  result: JobResult | null;
  attempts: number;
  parentRequestId: string | null;
  target: PullRequestTarget | null;
  /** Who asked, when the platform said (read by the authorization checks); absent on some reads. */
  requester?: IdentityRef | null;
  /** The workspace, server, App installation or MCP tenant the request came from. */
  installation?: IdentityRef | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export const ValidationStepSchema = z.object({
  ok: z.boolean(),
  durationMs: z.number().int().nonnegative(),
  output: z.string().max(20000).optional(),
});
/** One screenshot of the running app as the validation report describes it (the PNG travels apart). */
export const LookScreenshotSchema = z.object({
  file: z.string().max(100),
  name: z.string().max(60),
  viewport: z.enum(['desktop', 'phone']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  blank: z.boolean(),
});

export const ValidationReportSchema = z.object({
  ok: z.boolean(),
  syntax: ValidationStepSchema,
  /** GitHub Actions workflows checked against the policy (pinned actions, read-only token, no secrets). */
  workflows: ValidationStepSchema.optional(),
  install: ValidationStepSchema.optional(),
  lint: ValidationStepSchema.optional(),
  typecheck: ValidationStepSchema.optional(),
  test: ValidationStepSchema.optional(),
  build: ValidationStepSchema.optional(),
  repairRounds: z.number().int().nonnegative().default(0),
  /** Set when Autonoma resolved package-lock.json from package.json (models cannot write one). */
  lockfile: z.object({ resolved: z.boolean(), reason: z.string().max(500) }).optional(),
  /** The app's own formatter and linter run with safe fixes before lint; `files` are what it fixed. */
  autofix: z
    .object({
      ok: z.boolean(),
      durationMs: z.number().int().nonnegative(),
      tool: z.string(),
      files: z.array(z.string()),
      note: z.string().optional(),
    })
    .optional(),
  /** The built app started and looked at in a headless browser (screenshots, console, one record created). */
  look: z
    .object({
      ok: z.boolean(),
      durationMs: z.number().int().nonnegative(),
      /** Why there is nothing to look at (no browser, no start script): a notice, never a failure. */
      notice: z.string().max(500).optional(),
      /** What went wrong: the app did not start, a page threw, the created record did not show. */
      problems: z.array(z.string().max(600)).max(30).default([]),
      sections: z.array(z.string().max(200)).max(50).default([]),
      screenshots: z.array(LookScreenshotSchema).max(40).default([]),
      consoleErrors: z.array(z.string().max(600)).max(20).default([]),
      smoke: z
        .object({
          ok: z.boolean(),
          detail: z.string().max(600).optional(),
          skipped: z.string().max(200).optional(),
        })
        .optional(),
    })
    .optional(),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;
export type AppLookReport = NonNullable<ValidationReport['look']>;

/** A PNG of the running app, as validation took it (see `look.screenshots` for what each shows). */
export interface AppScreenshot {
  file: string;
  name: string;
  viewport: 'desktop' | 'phone';
  png: Uint8Array;
}

export const JobResultSchema = z.object({
  requestId: z.string(),
  appName: z.string(),
  slug: z.string(),
  entities: z.array(z.string()),
  /** What the app is made of (entities, pages, components, behaviours), in one line. */
  outline: z.string().max(2000).optional(),
  files: z.number().int().nonnegative(),
  repository: z.object({ forge: z.string(), name: z.string(), location: z.string() }).optional(),
  branch: z.string().optional(),
  commitSha: z.string().optional(),
  pullRequest: z.object({ number: z.number().int(), url: z.string(), title: z.string() }).optional(),
  validation: ValidationReportSchema.optional(),
  /** The running app's screenshots on the pull request branch, and where each is shown from. */
  screenshots: z
    .array(z.object({ file: z.string().max(100), url: z.string().max(2000) }))
    .max(40)
    .optional(),
  timingsMs: z.record(z.string(), z.number()),
  tokens: z.object({ input: z.number().int(), output: z.number().int() }),
  /** Per agent role, repairs included. */
  agentTokens: z
    .record(z.string(), z.object({ input: z.number().int(), output: z.number().int() }))
    .optional(),
  costUsd: z.number(),
  reviewSummary: z.string().max(20000),
});
export type JobResult = z.infer<typeof JobResultSchema>;
