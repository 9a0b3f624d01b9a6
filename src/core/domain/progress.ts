import { z } from 'zod';

/**
 * The stages a generation goes through, in display order: the one table every surface (Slack,
 * Discord, GitHub, CLI, job page) and the progress bar read. An `agent` stage is run by exactly one
 * agent of the team (src/agents/registry.ts, checked by its test); `system` stages are the worker's own.
 * `weight` is the stage's relative share of the progress bar once completed: the reporter divides
 * by the total, so weights need only be positive. Validation dominates the wall time.
 */
export const STAGE_TABLE = [
  { id: 'queued', label: 'Queued', weight: 2, runBy: 'system' },
  { id: 'requirements', label: 'Requirements', weight: 6, runBy: 'agent' },
  { id: 'architecture', label: 'Architecture', weight: 6, runBy: 'agent' },
  { id: 'frontend', label: 'Frontend', weight: 7, runBy: 'agent' },
  { id: 'backend', label: 'Backend', weight: 7, runBy: 'agent' },
  { id: 'security', label: 'Security review', weight: 4, runBy: 'agent' },
  { id: 'performance', label: 'Performance review', weight: 4, runBy: 'agent' },
  { id: 'deployment', label: 'Deployment', weight: 4, runBy: 'agent' },
  { id: 'testing', label: 'Tests', weight: 6, runBy: 'agent' },
  { id: 'validation', label: 'Validation', weight: 40, runBy: 'system' },
  { id: 'review', label: 'Code review', weight: 4, runBy: 'agent' },
  { id: 'publish', label: 'Pull request', weight: 10, runBy: 'system' },
] as const satisfies ReadonlyArray<{
  id: string;
  label: string;
  weight: number;
  runBy: 'agent' | 'system';
}>;

type StageRow = (typeof STAGE_TABLE)[number];
export type Stage = StageRow['id'];
/** A stage one agent runs: the only stages an agent definition may name. */
export type AgentStage = Extract<StageRow, { runBy: 'agent' }>['id'];

export const STAGES = STAGE_TABLE.map((row) => row.id) as readonly Stage[] as readonly [Stage, ...Stage[]];
export const StageSchema = z.enum(STAGES);

/** How every surface names a stage. */
export const STAGE_LABELS = Object.fromEntries(STAGE_TABLE.map((row) => [row.id, row.label])) as Readonly<
  Record<Stage, string>
>;

/** Each stage's share of the progress bar once completed (see STAGE_TABLE). */
export const STAGE_WEIGHTS = Object.fromEntries(STAGE_TABLE.map((row) => [row.id, row.weight])) as Readonly<
  Record<Stage, number>
>;

/** The stages agents run, in display order. */
export const AGENT_STAGES = STAGE_TABLE.flatMap((row) =>
  row.runBy === 'agent' ? [row.id] : [],
) as AgentStage[];

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
