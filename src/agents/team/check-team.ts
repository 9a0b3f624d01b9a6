import type { AgentDefinition } from './define-agent.js';

/** The columns of core's STAGE_TABLE the check reads. */
interface StageRow {
  id: string;
  runBy: 'agent' | 'system';
  weight: number;
}

/**
 * What is wrong with a team, as sentences (none for a sound one): every agent stage of the progress
 * table has exactly one agent, roles are unique, only file-writing agents have dependencies and they
 * name file-writing agents of the team without a cycle, offline parts are unique, weights are positive.
 */
export function teamProblems(agents: readonly AgentDefinition[], stages: readonly StageRow[]): string[] {
  const problems: string[] = [];
  const byRole = new Map<string, AgentDefinition>();
  for (const agent of agents) {
    if (byRole.has(agent.role)) problems.push(`two agents are named ${agent.role}`);
    byRole.set(agent.role, agent);
  }
  for (const stage of stages) {
    if (!(stage.weight > 0))
      problems.push(`stage ${stage.id} has weight ${stage.weight}; it must be positive`);
    const runners = agents.filter((a) => a.stage === stage.id).map((a) => a.role);
    if (stage.runBy === 'agent' && runners.length !== 1)
      problems.push(
        `stage ${stage.id} is run by ${runners.length} agents (${runners.join(', ')}); it needs one`,
      );
    if (stage.runBy === 'system' && runners.length > 0)
      problems.push(`stage ${stage.id} is the worker's own, yet ${runners.join(', ')} claims it`);
  }
  for (const agent of agents) {
    if (!stages.some((s) => s.id === agent.stage))
      problems.push(`${agent.role} runs in stage ${agent.stage}, which is not in the stage table`);
  }
  const writes = (a: AgentDefinition | undefined) => a?.kind === 'writer' || a?.kind === 'architect';
  for (const agent of agents) {
    for (const dep of agent.dependsOn) {
      if (!writes(agent))
        problems.push(`${agent.role} is no file-writing agent, so it cannot wait for ${dep}`);
      else if (!byRole.has(dep)) problems.push(`${agent.role} depends on ${dep}, which is no agent`);
      else if (!writes(byRole.get(dep)))
        problems.push(`${agent.role} depends on ${dep}, which writes no files`);
    }
  }
  const cycle = findCycle(agents);
  if (cycle) problems.push(`dependency cycle: ${cycle.join(' -> ')}`);
  const parts = agents.flatMap((a) => (a.offline ? [a.offline.part] : []));
  for (const part of new Set(parts)) {
    if (parts.filter((p) => p === part).length > 1) problems.push(`offline part ${part} has two owners`);
  }
  if (agents.filter((a) => a.kind === 'analyst').length !== 1) problems.push('the team needs one analyst');
  if (agents.filter((a) => a.kind === 'architect').length !== 1)
    problems.push('the team needs one architect');
  if (agents.filter((a) => a.kind === 'reviewer').length !== 1) problems.push('the team needs one reviewer');
  return problems;
}

/** A dependency cycle as the path that closes it, or undefined (depth-first, unknown names ignored). */
function findCycle(agents: readonly AgentDefinition[]): string[] | undefined {
  const deps = new Map(agents.map((a) => [a.role, a.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (role: string, path: string[]): string[] | undefined => {
    if (state.get(role) === 'done') return undefined;
    if (state.get(role) === 'visiting') return [...path.slice(path.indexOf(role)), role];
    state.set(role, 'visiting');
    for (const dep of deps.get(role) ?? []) {
      if (!deps.has(dep)) continue;
      const found = visit(dep, [...path, role]);
      if (found) return found;
    }
    state.set(role, 'done');
    return undefined;
  };
  for (const agent of agents) {
    const found = visit(agent.role, []);
    if (found) return found;
  }
  return undefined;
}
