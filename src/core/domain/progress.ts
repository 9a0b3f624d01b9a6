import { z } from 'zod';

/** The stages a generation goes through, in display order. */
export const STAGES = [
  'queued',
  'requirements',
  'architecture',
  'frontend',
  'backend',
  'security',
  'performance',
  'deployment',
  'testing',
  'validation',
  'review',
  'publish',
] as const;
export const StageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof StageSchema>;

/** How every surface (Slack, Discord, GitHub, CLI, job page) names a stage: one table, one edit. */
export const STAGE_LABELS: Readonly<Record<Stage, string>> = {
  queued: 'Queued',
  requirements: 'Requirements',
  architecture: 'Architecture',
  frontend: 'Frontend',
  backend: 'Backend',
  security: 'Security review',
  performance: 'Performance review',
  deployment: 'Deployment',
  testing: 'Tests',
  validation: 'Validation',
  review: 'Code review',
  publish: 'Pull request',
};

const LinkSchema = z.object({ label: z.string().max(100), url: z.string().max(2000) });
export type Link = z.infer<typeof LinkSchema>;

const base = {
  requestId: z.string(),
  at: z.string(), // ISO timestamp
  percent: z.number().min(0).max(100),
};

/**
 * Progress events are published on a bus so any process (HTTP server, CLI, chat repliers) can follow a
 * job. They are plain JSON: stage changes, milestones worth a thread reply, and one final event.
 */
export const ProgressEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('stage'),
    stage: StageSchema,
    state: z.enum(['started', 'completed', 'failed', 'skipped']),
    message: z.string().max(2000),
    costUsd: z.number().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('milestone'),
    stage: StageSchema,
    message: z.string().max(4000),
    links: z.array(LinkSchema).default([]),
  }),
  z.object({
    ...base,
    type: z.literal('finished'),
    status: z.enum(['succeeded', 'failed', 'cancelled']),
    message: z.string().max(8000),
    links: z.array(LinkSchema).default([]),
    errorCode: z.string().optional(),
  }),
]);
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;
export type ProgressEventInput = z.input<typeof ProgressEventSchema>;
