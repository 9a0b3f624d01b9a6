import { STAGE_TABLE } from '../core/domain/progress.js';
import { AutonomaError } from '../core/errors.js';
import type { ValidationStep } from './pipeline/validation-gate.js';
import { teamProblems } from './team/check-team.js';
import type { OfflinePart, Suspicion } from './team/define-agent.js';
import { architectureAgent } from './team/architecture.js';
import { backendAgent } from './team/backend.js';
import { deploymentAgent } from './team/deployment.js';
import { frontendAgent } from './team/frontend.js';
import { performanceAgent } from './team/performance.js';
import { requirementsAgent } from './team/requirements.js';
import { reviewAgent } from './team/review.js';
import { securityAgent } from './team/security.js';
import { testingAgent } from './team/testing.js';

/**
 * The agent team, in the order a reader meets it: each agent is declared once in team/<role>.ts, and
 * everything that lists agents (the writers' dependency graph, the role and writer lists, the role
 * prompts, the offline renderers, the manifest's owners, repair suspects) is derived from here. Its
 * stage's label, progress weight and display order are core's (STAGE_TABLE), which core reads
 * without importing agents.
 */
export const AGENTS = [
  requirementsAgent,
  architectureAgent,
  frontendAgent,
  backendAgent,
  securityAgent,
  performanceAgent,
  deploymentAgent,
  testingAgent,
  reviewAgent,
] as const;

export type Agent = (typeof AGENTS)[number];
export type AgentRole = Agent['role'];
/** The agents that write application files: the architect and the writers. */
export type FileWriter = Extract<Agent, { kind: 'architect' | 'writer' }>;
export type WriterRole = FileWriter['role'];
/** The deterministic generator's parts, one per file-writing agent (the architect's is `project`). */
export type AppPart = Extract<Agent, { offline: OfflinePart }>['offline']['part'];

const problems = teamProblems(AGENTS, STAGE_TABLE);
if (problems.length > 0)
  throw new AutonomaError('internal', `The agent registry is inconsistent: ${problems.join('; ')}`);

export const AGENT_ROLES = AGENTS.map((a) => a.role) as readonly AgentRole[] as readonly [
  AgentRole,
  ...AgentRole[],
];

function writesFiles(agent: Agent): agent is FileWriter {
  return agent.kind === 'architect' || agent.kind === 'writer';
}

export const FILE_WRITERS: readonly FileWriter[] = AGENTS.filter(writesFiles);
export const WRITER_ROLES = FILE_WRITERS.map((a) => a.role) as readonly WriterRole[] as readonly [
  WriterRole,
  ...WriterRole[],
];

export function isWriterRole(role: string): role is WriterRole {
  return (WRITER_ROLES as readonly string[]).includes(role);
}

export function agentFor(role: AgentRole): Agent {
  const agent = AGENTS.find((a) => a.role === role);
  if (!agent) throw new AutonomaError('internal', `No agent is named ${role}`);
  return agent;
}

/** The one agent of a kind (the team check guarantees one analyst, one architect, one reviewer). */
export function memberOfKind<Kind extends 'analyst' | 'architect' | 'reviewer'>(
  kind: Kind,
): Extract<Agent, { kind: Kind }> {
  const agent = AGENTS.find((a): a is Extract<Agent, { kind: Kind }> => a.kind === kind);
  if (!agent) throw new AutonomaError('internal', `The team has no ${kind}`);
  return agent;
}

/** The file writers as a dependency graph (checked acyclic above): what runDag runs. */
export function writerGraph(): Array<{ role: WriterRole; dependsOn: readonly WriterRole[] }> {
  return FILE_WRITERS.map((a) => ({ role: a.role, dependsOn: a.dependsOn as readonly WriterRole[] }));
}

const SUSPICION_ORDER: readonly Suspicion[] = ['prime', 'likely', 'possible'];

/** Who repairs a failed validation step when the failure names none of their files, prime first. */
export function suspectsFor(step: ValidationStep): WriterRole[] {
  const rank = (a: FileWriter) => {
    const suspicion = (a.suspectFor as Partial<Record<ValidationStep, Suspicion>>)[step];
    return suspicion === undefined ? -1 : SUSPICION_ORDER.indexOf(suspicion);
  };
  // A stable sort keeps team order among agents equally suspected.
  return FILE_WRITERS.filter((a) => rank(a) >= 0)
    .sort((a, b) => rank(a) - rank(b))
    .map((a) => a.role);
}

/** The offline model's parts of the app and the agent that writes each, in team order. */
export const OFFLINE_PARTS = FILE_WRITERS.flatMap((a) =>
  'offline' in a ? [{ part: a.offline.part as AppPart, owner: a.role, render: a.offline.render }] : [],
);
