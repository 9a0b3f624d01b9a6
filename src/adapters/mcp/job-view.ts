import { z } from 'zod';
import {
  PLATFORMS,
  REQUEST_STATUSES,
  type GenerationRequest,
  type JobResult,
} from '../../core/domain/request.js';

/** Prompts and summaries are user or model text: shortened in listings so one job cannot flood a client. */
const PROMPT_PREVIEW_CHARS = 200;
const REVIEW_SUMMARY_CHARS = 4000;

const VALIDATION_STEPS = ['syntax', 'install', 'lint', 'typecheck', 'test', 'build'] as const;

export const JobSummaryShape = {
  requestId: z.string(),
  kind: z.enum(['build', 'iterate']),
  source: z.enum(PLATFORMS),
  status: z.enum(REQUEST_STATUSES),
  stage: z.string().nullable(),
  percent: z.number(),
  prompt: z.string().describe('What was asked (user-supplied text, shown as data), shortened.'),
  parentRequestId: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  pullRequestUrl: z.string().nullable(),
};

const ResultViewSchema = z.object({
  appName: z.string(),
  files: z.number(),
  repository: z.object({ forge: z.string(), name: z.string(), url: z.string() }).nullable(),
  branch: z.string().nullable(),
  commitSha: z.string().nullable(),
  pullRequest: z.object({ number: z.number(), url: z.string(), title: z.string() }).nullable(),
  validation: z
    .object({
      ok: z.boolean(),
      repairRounds: z.number(),
      steps: z.array(z.object({ name: z.string(), ok: z.boolean(), durationMs: z.number() })),
    })
    .nullable(),
  costUsd: z.number(),
  tokens: z.object({ input: z.number(), output: z.number() }),
  reviewSummary: z.string(),
  screenshots: z
    .array(z.object({ file: z.string(), url: z.string() }))
    .describe(
      'The running app as headless Chromium saw it: image URLs (GitHub) or file paths (local forge).',
    ),
  look: z
    .object({ ok: z.boolean(), problems: z.array(z.string()), smoke: z.string().nullable() })
    .nullable()
    .describe('What the browser found: console errors, a blank page, a record that did not appear.'),
});

export const JobStatusShape = {
  ...JobSummaryShape,
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  result: ResultViewSchema.nullable(),
};

export type JobSummary = z.infer<z.ZodObject<typeof JobSummaryShape>>;
export type JobStatus = z.infer<z.ZodObject<typeof JobStatusShape>>;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function jobSummary(request: GenerationRequest): JobSummary {
  return {
    requestId: request.id,
    kind: request.kind,
    source: request.source,
    status: request.status,
    stage: request.stage,
    percent: request.percent,
    prompt: shorten(request.prompt, PROMPT_PREVIEW_CHARS),
    parentRequestId: request.parentRequestId,
    createdAt: request.createdAt.toISOString(),
    finishedAt: request.finishedAt?.toISOString() ?? null,
    pullRequestUrl: request.result?.pullRequest?.url ?? null,
  };
}

function resultView(result: JobResult): z.infer<typeof ResultViewSchema> {
  const validation = result.validation;
  return {
    appName: result.appName,
    files: result.files,
    repository: result.repository
      ? { forge: result.repository.forge, name: result.repository.name, url: result.repository.location }
      : null,
    branch: result.branch ?? null,
    commitSha: result.commitSha ?? null,
    pullRequest: result.pullRequest ?? null,
    validation: validation
      ? {
          ok: validation.ok,
          repairRounds: validation.repairRounds,
          // Step outputs (logs of npm runs) stay out: they are long and the PR body has them.
          steps: VALIDATION_STEPS.flatMap((name) => {
            const step = validation[name];
            return step ? [{ name, ok: step.ok, durationMs: step.durationMs }] : [];
          }),
        }
      : null,
    costUsd: result.costUsd,
    tokens: result.tokens,
    reviewSummary: shorten(result.reviewSummary, REVIEW_SUMMARY_CHARS),
    screenshots: result.screenshots ?? [],
    look: validation?.look
      ? {
          ok: validation.look.ok,
          problems: validation.look.problems,
          smoke: validation.look.smoke?.detail ?? validation.look.smoke?.skipped ?? null,
        }
      : null,
  };
}

export function jobStatus(request: GenerationRequest): JobStatus {
  return {
    ...jobSummary(request),
    error:
      request.errorCode || request.errorMessage
        ? { code: request.errorCode ?? 'failed', message: request.errorMessage ?? '' }
        : null,
    result: request.result ? resultView(request.result) : null,
  };
}
