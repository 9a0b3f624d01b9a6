import { z } from 'zod';
import { SpecSchema } from '../../core/domain/spec.js';
import { WRITER_ROLES } from '../registry.js';

// The roles are the registry's (each agent is declared once in src/agents/team/); re-exported here
// beside the answer schemas they type.
export { AGENT_ROLES, WRITER_ROLES, type AgentRole, type WriterRole } from '../registry.js';

/**
 * An agent's answer schema follows from its kind (team/define-agent.ts): the analyst answers with the
 * spec (or a change to it), the architect with the plan, writers with the files they wrote, the
 * reviewer with the pull request summary.
 */
export const RequirementsOutputSchema = SpecSchema;

export const RequirementsChangeOutputSchema = z.object({
  spec: SpecSchema,
  applied: z.array(z.string().max(500)).max(50),
  unhandled: z.array(z.string().max(500)).max(50),
});

const EndpointSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().min(1).max(200),
  summary: z.string().max(200),
});

export const ArchitectureOutputSchema = z.object({
  stack: z.object({
    frontend: z.string().max(200),
    backend: z.string().max(200),
    database: z.string().max(200),
    testing: z.string().max(200),
    tooling: z.string().max(200),
  }),
  api: z.array(EndpointSchema).max(300),
  pages: z.array(z.string().max(200)).max(100),
  /** Which agent writes which file: used to route validation failures back to their author. */
  filePlan: z.array(z.object({ path: z.string().max(300), owner: z.enum(WRITER_ROLES) })).max(2000),
});
export type ArchitectureOutput = z.infer<typeof ArchitectureOutputSchema>;

export const WorkOutputSchema = z.object({
  files: z.array(z.string().max(300)).max(2000),
  notes: z.string().max(4000),
});
export type WorkOutput = z.infer<typeof WorkOutputSchema>;

export const ReviewOutputSchema = z.object({
  summary: z.string().min(1).max(8000),
  checklist: z.array(z.string().max(300)).max(30),
});
export type ReviewOutput = z.infer<typeof ReviewOutputSchema>;
