import { describe, expect, it } from '@jest/globals';
import { AGENT_STAGES, STAGE_LABELS, STAGE_TABLE, STAGES } from '../core/domain/progress.js';
import { buildModel } from './offline/app/model.js';
import { APP_PARTS, renderApp, renderAppPart } from './offline/app/index.js';
import { projectTrackerSpec } from './offline/app/sample-specs.js';
import { systemPromptFor } from './pipeline/agent-instructions.js';
import { ArchitectureOutputSchema } from './pipeline/agent-outputs.js';
import { readManifest, renderManifest } from './pipeline/app-manifest.js';
import { runDag } from './pipeline/dag.js';
import { responsibleAgents } from './pipeline/validation-gate.js';
import { decideOfflineAction, PART_OWNER } from './providers/offline-policies.js';
import {
  AGENT_ROLES,
  AGENTS,
  agentFor,
  FILE_WRITERS,
  memberOfKind,
  OFFLINE_PARTS,
  suspectsFor,
  WRITER_ROLES,
  writerGraph,
} from './registry.js';
import { teamProblems } from './team/check-team.js';
import { defineAgent, WRITE_TOOLS, type AgentDefinition } from './team/define-agent.js';

describe('the agent registry', () => {
  it('is consistent with the stage table: one agent per agent stage, known acyclic dependencies', () => {
    expect(teamProblems(AGENTS, STAGE_TABLE)).toEqual([]);
    expect(AGENTS.map((a) => a.stage).sort()).toEqual([...AGENT_STAGES].sort());
    expect(new Set(AGENT_ROLES).size).toBe(AGENTS.length);
  });

  it('gives every stage a positive share of the progress bar and a label', () => {
    // The reporter divides by the total, so the weights need only be positive.
    for (const row of STAGE_TABLE) expect(row.weight).toBeGreaterThan(0);
    expect(STAGES).toEqual(STAGE_TABLE.map((row) => row.id));
    for (const agent of AGENTS) expect(STAGE_LABELS[agent.stage]).toMatch(/\S/);
  });

  it('runs the writers as a dependency graph: each after the agents it names', async () => {
    const finished: string[] = [];
    await runDag(
      writerGraph().map(({ role, dependsOn }) => ({
        id: role,
        dependsOn,
        run: async () => {
          for (const dep of dependsOn) expect(finished).toContain(dep);
          finished.push(role);
        },
      })),
      new AbortController().signal,
    );
    expect([...finished].sort()).toEqual([...WRITER_ROLES].sort());
    expect(finished[0]).toBe(memberOfKind('architect').role);
    expect(finished.indexOf('testing')).toBeGreaterThan(finished.indexOf('backend'));
    expect(finished.indexOf('testing')).toBeGreaterThan(finished.indexOf('frontend'));
  });

  it('derives every agent list from the definitions', () => {
    expect(WRITER_ROLES).toEqual(FILE_WRITERS.map((a) => a.role));
    expect(AGENT_ROLES).toEqual(AGENTS.map((a) => a.role));
    for (const role of AGENT_ROLES) {
      expect(systemPromptFor(role).endsWith(`\n${agentFor(role).instructions}`)).toBe(true);
    }
    // The architect's file plan may name exactly the file writers.
    const plan = (owner: string) => ({
      stack: { frontend: '', backend: '', database: '', testing: '', tooling: '' },
      api: [],
      pages: [],
      filePlan: [{ path: 'a.ts', owner }],
    });
    for (const role of WRITER_ROLES)
      expect(ArchitectureOutputSchema.safeParse(plan(role)).success).toBe(true);
    expect(ArchitectureOutputSchema.safeParse(plan('review')).success).toBe(false);
    // The manifest accepts the writers and the analyst as owners.
    const owners = new Map([...WRITER_ROLES, 'requirements' as const].map((r) => [`${r}.ts`, r]));
    const manifest = readManifest(
      new Map([['.autonoma/manifest.json', renderManifest(projectTrackerSpec, owners)]]),
    );
    expect(Object.keys(manifest.owners)).toHaveLength(owners.size);
  });

  it('keeps the repair suspects of each validation step, most likely first', () => {
    expect(suspectsFor('syntax')).toEqual(['backend', 'frontend', 'testing']);
    expect(suspectsFor('workflows')).toEqual(['deployment']);
    expect(suspectsFor('install')).toEqual(['architecture']);
    expect(suspectsFor('lint')).toEqual(['backend', 'frontend', 'testing']);
    expect(suspectsFor('typecheck')).toEqual(['backend', 'frontend', 'testing']);
    expect(suspectsFor('test')).toEqual(['testing', 'backend', 'frontend']);
    expect(suspectsFor('build')).toEqual(['frontend', 'architecture']);
    expect(responsibleAgents({ step: 'validation', output: 'no details' }, new Map())).toEqual(['testing']);
    expect(responsibleAgents({ step: 'build', output: 'no file named' }, new Map())).toEqual(
      suspectsFor('build'),
    );
  });

  it('gives every file writer one offline part, and the offline model a behaviour for each', () => {
    expect(OFFLINE_PARTS.map((p) => p.owner)).toEqual(WRITER_ROLES);
    expect(APP_PARTS).toEqual(OFFLINE_PARTS.map((p) => p.part));
    const model = buildModel(projectTrackerSpec);
    let total = 0;
    for (const { part, owner, render } of OFFLINE_PARTS) {
      expect(PART_OWNER[part]).toBe(owner);
      const files = renderAppPart(projectTrackerSpec, part);
      expect([...files.keys()].sort()).toEqual([...render(model).keys()].sort());
      expect(files.size).toBeGreaterThan(0);
      total += files.size;
      const action = decideOfflineAction(owner, { spec: projectTrackerSpec }, undefined);
      expect(action.kind).toBe('tools');
    }
    expect(renderApp(projectTrackerSpec).size).toBe(total);
  });
});

describe('the team check', () => {
  const stages = [
    { id: 'queued', runBy: 'system', weight: 2 },
    { id: 'requirements', runBy: 'agent', weight: 5 },
    { id: 'architecture', runBy: 'agent', weight: 5 },
    { id: 'frontend', runBy: 'agent', weight: 5 },
    { id: 'backend', runBy: 'agent', weight: 5 },
    { id: 'review', runBy: 'agent', weight: 5 },
  ] as const;
  const agent = (role: string, extra: Partial<AgentDefinition> = {}): AgentDefinition =>
    defineAgent({
      role,
      stage: role as AgentDefinition['stage'],
      kind: 'writer',
      dependsOn: ['architecture'],
      tools: WRITE_TOOLS,
      instructions: `Role: ${role}.`,
      suspectFor: {},
      ...extra,
    });
  const team = () => [
    agent('requirements', { kind: 'analyst', dependsOn: [] }),
    agent('architecture', { kind: 'architect', dependsOn: [] }),
    agent('frontend'),
    agent('backend'),
    agent('review', { kind: 'reviewer', dependsOn: [] }),
  ];

  it('accepts a sound team', () => {
    expect(teamProblems(team(), stages)).toEqual([]);
  });

  it('names a stage with no agent, or with two', () => {
    const missing = team().filter((a) => a.role !== 'backend');
    expect(teamProblems(missing, stages)).toEqual(['stage backend is run by 0 agents (); it needs one']);
    const twice = [...team(), agent('frontend-2', { stage: 'frontend' })];
    expect(teamProblems(twice, stages)).toEqual([
      'stage frontend is run by 2 agents (frontend, frontend-2); it needs one',
    ]);
  });

  it('names an agent in a stage the table lacks, or in a stage of the worker', () => {
    const extra = [...team(), agent('accessibility')];
    expect(teamProblems(extra, stages)).toEqual([
      'accessibility runs in stage accessibility, which is not in the stage table',
    ]);
    const system = [...team(), agent('picker', { stage: 'queued' as unknown as AgentDefinition['stage'] })];
    expect(teamProblems(system, stages)).toEqual(["stage queued is the worker's own, yet picker claims it"]);
  });

  it('names unknown dependencies, dependencies of non-writers and cycles', () => {
    const unknown = team().map((a) => (a.role === 'frontend' ? { ...a, dependsOn: ['design'] } : a));
    expect(teamProblems(unknown, stages)).toEqual(['frontend depends on design, which is no agent']);
    const reviewer = team().map((a) => (a.role === 'review' ? { ...a, dependsOn: ['frontend'] } : a));
    expect(teamProblems(reviewer, stages)).toEqual([
      'review is no file-writing agent, so it cannot wait for frontend',
    ]);
    const onReviewer = team().map((a) => (a.role === 'frontend' ? { ...a, dependsOn: ['review'] } : a));
    expect(teamProblems(onReviewer, stages)).toEqual(['frontend depends on review, which writes no files']);
    const cycle = team().map((a) => (a.role === 'architecture' ? { ...a, dependsOn: ['backend'] } : a));
    expect(teamProblems(cycle, stages)).toEqual([
      'dependency cycle: architecture -> backend -> architecture',
    ]);
  });

  it('names duplicate roles and offline parts, a non-positive weight, a missing reviewer', () => {
    const render = () => new Map<string, string>();
    const parts = team().map((a) => (a.kind === 'writer' ? { ...a, offline: { part: 'ui', render } } : a));
    expect(teamProblems(parts, stages)).toEqual(['offline part ui has two owners']);
    expect(teamProblems([...team(), agent('frontend')], stages)).toContain('two agents are named frontend');
    const free = stages.map((s) => (s.id === 'queued' ? { ...s, weight: 0 } : s));
    expect(teamProblems(team(), free)).toEqual(['stage queued has weight 0; it must be positive']);
    const noReviewer = team().map((a) => (a.role === 'review' ? { ...a, kind: 'writer' as const } : a));
    expect(teamProblems(noReviewer, stages)).toContain('the team needs one reviewer');
  });
});
