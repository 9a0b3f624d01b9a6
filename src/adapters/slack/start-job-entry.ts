import { z } from 'zod';
import { PROMPT_MAX_CHARS, PullRequestTargetSchema } from '../../core/domain/request.js';

/** The inbox handler that posts a job's status message and submits the job (see inbox-handler.ts). */
export const SLACK_START_JOB = 'slack.start-job';

const SlackId = z.string().min(1).max(64);

/** Who asked, for what, and where the job's thread goes. */
export const JobOriginSchema = z.object({
  teamId: SlackId,
  channelId: SlackId,
  userId: SlackId,
  userName: z.string().max(200).optional(),
  prompt: z.string().min(1).max(PROMPT_MAX_CHARS),
  /** Post the status message in this thread; without it the status message starts a new thread. */
  threadTs: z.string().max(64).optional(),
  /** From the platform's delivery (trigger id, message ts): the same delivery never makes two jobs. */
  idempotencyKey: z.string().min(1).max(200),
  iteration: z.object({ parentRequestId: z.string().uuid(), target: PullRequestTargetSchema }).optional(),
});
export type JobOrigin = z.infer<typeof JobOriginSchema>;

/** How to answer the person who asked, privately, when the job cannot start. */
export const ReplyTargetSchema = z.discriminatedUnion('kind', [
  // A slash command's response_url (valid 30 minutes); only http(s).
  z.object({
    kind: z.literal('response_url'),
    url: z
      .string()
      .url()
      .regex(/^https?:\/\//),
  }),
  z.object({
    kind: z.literal('ephemeral'),
    channelId: SlackId,
    userId: SlackId,
    threadTs: z.string().max(64).optional(),
  }),
  // In a DM the conversation is theirs: a plain reply in the thread.
  z.object({ kind: z.literal('direct'), channelId: SlackId, threadTs: z.string().max(64) }),
]);
export type ReplyTarget = z.infer<typeof ReplyTargetSchema>;

export const StartJobEntrySchema = z.object({ origin: JobOriginSchema, replyTo: ReplyTargetSchema });
export type StartJobEntry = z.infer<typeof StartJobEntrySchema>;
