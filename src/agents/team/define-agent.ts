import type { AgentStage } from '../../core/domain/progress.js';
import type { AppModel } from '../offline/app/model.js';
import type { ValidationStep } from '../pipeline/validation-gate.js';

/**
 * Where the pipeline runs an agent, and so which answer schema it gives (pipeline/agent-outputs.ts):
 * the analyst turns the request into the spec, the architect plans and scaffolds, writers write
 * their part of the app (a dependency graph after the architect), the reviewer summarises.
 */
export type AgentKind = 'analyst' | 'architect' | 'writer' | 'reviewer';

export type Suspicion = 'prime' | 'likely' | 'possible';

/** The offline model's behaviour for a file-writing agent: its part of the deterministic app. */
export interface OfflinePart<Part extends string = string> {
  part: Part;
  render: (model: AppModel) => Map<string, string>;
}

/** One agent of the team, declared once in its own module under src/agents/team/. */
export interface AgentDefinition {
  /** The agent's name: in agent_sessions rows, file ownership, the manifest and the model stand-ins. */
  role: string;
  /** Its row in core's STAGE_TABLE, which holds the label, the progress weight and the display order. */
  stage: AgentStage;
  kind: AgentKind;
  /** Writers (and the architect) this one waits for; only file-writing agents have any. */
  dependsOn: readonly string[];
  /** The tool names it may call (see the sets below). */
  tools: readonly string[];
  /** Its role prompt, after the instructions every agent shares (pipeline/agent-instructions.ts). */
  instructions: string;
  /**
   * How likely its files cause a failure at each validation step, for when the failure names no
   * file: the repair goes to the suspects of that step, prime first (ties in team order).
   */
  suspectFor: Partial<Record<ValidationStep, Suspicion>>;
  offline?: OfflinePart;
}

/** Keeps the literal role, kind and part names, so the registry can derive typed unions from them. */
export function defineAgent<const Definition extends AgentDefinition>(definition: Definition): Definition {
  return definition;
}

export const WRITE_TOOLS = [
  'list_files',
  'read_file',
  'write_file',
  'delete_file',
  'search_files',
  'check_syntax',
  'outline',
] as const;
export const READ_TOOLS = ['list_files', 'read_file', 'search_files', 'outline'] as const;
