import { z } from 'zod';
import { InvalidInputError } from '../../../core/errors.js';

/*
 * The fields of GitHub's webhook payloads the handlers read, checked once here. Probot has verified the
 * signature already; this guards against events without an installation (sent to an App only when it
 * is installed) and keeps the handlers independent of the full payload types.
 */

const Account = z.object({ login: z.string(), id: z.number().int(), type: z.string().default('User') });

export const RepositorySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  full_name: z.string(),
  html_url: z.string().optional(),
  default_branch: z.string().default('main'),
  owner: z.object({ login: z.string() }),
});
export type RepositoryPayload = z.infer<typeof RepositorySchema>;

const InstallationSchema = z.object({ id: z.number().int().positive() });

const IssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().default(null),
  pull_request: z.unknown().optional(),
});

const base = { repository: RepositorySchema, installation: InstallationSchema, sender: Account };

export const IssueLabelEventSchema = z.object({
  ...base,
  action: z.enum(['labeled', 'unlabeled']),
  issue: IssueSchema,
  label: z.object({ name: z.string() }).optional(),
});
export type IssueLabelEvent = z.infer<typeof IssueLabelEventSchema>;

export const IssueCommentEventSchema = z.object({
  ...base,
  action: z.string(),
  issue: IssueSchema,
  comment: z.object({ id: z.number().int(), body: z.string().default(''), user: Account }),
});
export type IssueCommentEvent = z.infer<typeof IssueCommentEventSchema>;

export const PullRequestReviewEventSchema = z.object({
  ...base,
  action: z.string(),
  review: z.object({
    id: z.number().int(),
    state: z.string().transform((s) => s.toUpperCase()),
    body: z.string().nullable().default(null),
    user: Account,
  }),
  pull_request: z.object({
    number: z.number().int().positive(),
    head: z.object({ ref: z.string(), sha: z.string() }),
  }),
});
export type PullRequestReviewEvent = z.infer<typeof PullRequestReviewEventSchema>;

/** Parses a payload, or explains which field GitHub did not send. */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, event: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    throw new InvalidInputError(
      `The ${event} webhook payload is not what Autonoma expects (${problems.join('; ')}). ` +
        'Check that the event comes from the GitHub App installation, not a repository webhook.',
    );
  }
  return parsed.data;
}
