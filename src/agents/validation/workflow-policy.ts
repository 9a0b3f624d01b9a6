import { posix } from 'node:path';
import { parseDocument } from 'yaml';
import { expressionsIn, secretReads } from './workflow-expressions.js';
import { usesProblem } from './workflow-uses.js';

/**
 * Checks the GitHub Actions workflows a generated (untrusted) app would ship, so a model cannot
 * add one that runs with the repository's secrets or a write token, or runs code that can change
 * after review.
 */
export interface WorkflowProblem {
  path: string;
  message: string;
}
export type WorkflowPolicyResult = { ok: true } | { ok: false; problems: WorkflowProblem[] };

export const MAX_WORKFLOW_BYTES = 64 * 1024;
const MAX_PROBLEMS_PER_FILE = 20;
// Billion-laughs guard: aliases beyond this make the parser throw instead of expanding.
const MAX_ALIAS_COUNT = 100;
const REFUSED_TRIGGERS: Record<string, string> = {
  pull_request_target:
    'it runs with the repository secrets and a write token on code from forks; use pull_request',
  workflow_run:
    'it runs with the repository secrets after workflows that untrusted code triggered; use push or pull_request',
};

type Json = Record<string, unknown>;
type Trail = Array<string | number>;

/** Paths are relative POSIX paths; only `.github/workflows/**.yml|yaml` matter to GitHub. */
export function checkWorkflows(files: ReadonlyMap<string, string>): WorkflowPolicyResult {
  const problems: WorkflowProblem[] = [];
  for (const [path, text] of files) {
    if (!isWorkflowPath(path)) continue;
    const messages = checkWorkflow(text);
    const shown = messages.slice(0, MAX_PROBLEMS_PER_FILE);
    if (messages.length > shown.length) shown.push(`…and ${messages.length - shown.length} more problems`);
    problems.push(...shown.map((message) => ({ path, message })));
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

export function isWorkflowPath(path: string): boolean {
  const normal = posix.normalize(path.replace(/\\/g, '/')).replace(/^(?:\.\/)+/, '');
  return /^\.github\/workflows\/.+\.ya?ml$/i.test(normal);
}

/** Problems in one workflow file, each naming the job and step it is about. */
export function checkWorkflow(text: string): string[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_WORKFLOW_BYTES)
    return [`is ${bytes} bytes, more than the ${MAX_WORKFLOW_BYTES} allowed for a workflow`];
  const parsed = parseWorkflow(text);
  if (typeof parsed === 'string') return [parsed];
  return [
    ...miscasedKeys('the workflow', parsed, ['on', 'permissions', 'jobs']),
    ...checkTriggers(parsed.on),
    ...checkTopPermissions(parsed),
    ...checkJobs(parsed.jobs),
    ...checkSecrets(parsed),
  ];
}

function parseWorkflow(text: string): Json | string {
  try {
    // merge: resolve `<<` keys too, so nothing GitHub might merge in is hidden from the checks below.
    const document = parseDocument(text, { merge: true });
    const error = document.errors[0];
    if (error) return `is not valid YAML: ${firstLine(error.message)}`;
    const value: unknown = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    if (!isRecord(value) || !('on' in value) || !('jobs' in value)) {
      return 'must be a YAML mapping with "on" (the triggers) and "jobs"';
    }
    return value;
  } catch (error) {
    return `is not valid YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`;
  }
}

function checkTriggers(on: unknown): string[] {
  let events: unknown[];
  if (typeof on === 'string') events = [on];
  else if (Array.isArray(on)) events = on;
  else if (isRecord(on)) events = Object.keys(on);
  else return ['"on" must be an event name, a list of event names or a mapping of events'];
  return events
    .filter((event): event is string => typeof event === 'string')
    .map((event) => event.trim().toLowerCase())
    .filter((event) => event in REFUSED_TRIGGERS)
    .map((event) => `must not be triggered by ${event}: ${REFUSED_TRIGGERS[event]}`);
}

function checkTopPermissions(workflow: Json): string[] {
  const fix = 'set top-level "permissions: { contents: read }" so the token cannot write to the repository';
  if (!('permissions' in workflow)) return [`has no top-level permissions; ${fix}`];
  const permissions = workflow.permissions;
  const entries = isRecord(permissions) ? Object.entries(permissions) : undefined;
  const exact =
    entries?.length === 0 ||
    (entries?.length === 1 && entries[0]?.[0] === 'contents' && entries[0][1] === 'read');
  return exact ? [] : [`top-level permissions are ${show(permissions)}; ${fix}`];
}

function checkJobs(jobs: unknown): string[] {
  if (!isRecord(jobs) || Object.keys(jobs).length === 0)
    return ['"jobs" must be a mapping of job ids to jobs'];
  const problems: string[] = [];
  for (const [id, job] of Object.entries(jobs)) {
    const where = `job ${show(id)}`;
    if (!isRecord(job)) {
      problems.push(`${where} must be a mapping`);
      continue;
    }
    problems.push(...miscasedKeys(where, job, ['permissions', 'uses', 'secrets', 'steps']));
    if ('permissions' in job) problems.push(...checkJobPermissions(where, job.permissions));
    if ('uses' in job) {
      const problem = usesProblem(job.uses);
      if (problem) problems.push(`${where}: "uses: ${String(job.uses).slice(0, 120)}" ${problem}`);
    }
    if (typeof job.secrets === 'string' && job.secrets.trim().toLowerCase() === 'inherit') {
      problems.push(
        `${where}: "secrets: inherit" passes every repository secret to the called workflow; remove it`,
      );
    }
    if (job.steps === undefined) continue;
    if (!Array.isArray(job.steps)) {
      problems.push(`${where}: "steps" must be a list`);
      continue;
    }
    job.steps.forEach((step: unknown, index) => {
      if (!isRecord(step)) {
        problems.push(`${where} step ${index + 1} must be a mapping`);
        return;
      }
      problems.push(...miscasedKeys(`${where} ${stepLabel(step, index)}`, step, ['uses']));
      if ('uses' in step) {
        const problem = usesProblem(step.uses);
        if (problem)
          problems.push(
            `${where} ${stepLabel(step, index)}: "uses: ${String(step.uses).slice(0, 120)}" ${problem}`,
          );
      }
    });
  }
  return problems;
}

/** The checks read these keys as written; other spellings (`Permissions`) are refused, not guessed at. */
function miscasedKeys(where: string, map: Json, names: readonly string[]): string[] {
  return Object.keys(map)
    .filter((key) => !names.includes(key) && names.includes(key.trim().toLowerCase()))
    .map((key) => `${where} has the key ${show(key)}; write it as ${show(key.trim().toLowerCase())}`);
}

/** A job's permissions replace the workflow's, so they may only grant read or nothing. */
function checkJobPermissions(where: string, permissions: unknown): string[] {
  const fix = 'give each scope read or none, e.g. { contents: read }';
  if (!isRecord(permissions)) return [`${where} permissions ${show(permissions)} are not allowed; ${fix}`];
  return Object.entries(permissions)
    .filter(([, level]) => level !== 'read' && level !== 'none')
    .map(([scope, level]) => `${where} permissions grant "${scope}: ${String(level)}"; ${fix}`);
}

/** Every string (keys included) is scanned: `${{ secrets.X }}` works in run, with, env and names alike. */
function checkSecrets(workflow: Json): string[] {
  const problems: string[] = [];
  const pending: Array<{ value: unknown; trail: Trail }> = [{ value: workflow, trail: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, trail } = next;
    if (typeof value === 'string') {
      const bare = trail.at(-1) === 'if'; // `if:` is an expression even without ${{ }}
      const reads = expressionsIn(value, bare).flatMap(secretReads);
      if (reads.length > 0) problems.push(secretProblem(workflow, trail, reads[0]!));
    } else if (Array.isArray(value)) {
      // Pushed last-first so that problems come out in file order.
      for (let index = value.length - 1; index >= 0; index -= 1) {
        pending.push({ value: value[index], trail: [...trail, index] });
      }
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value).reverse()) {
        pending.push({ value: item, trail: [...trail, key] });
        pending.push({ value: key, trail: [...trail, key] });
      }
    }
  }
  return problems;
}

function secretProblem(workflow: Json, trail: Trail, read: string): string {
  return (
    `${locate(workflow, trail)} reads ${show(read)}; generated workflows may not use repository secrets ` +
    '(only secrets.GITHUB_TOKEN, which is read-only here), so remove it'
  );
}

/** `job "build" step 3 ("Publish") at with.token`, or `at env.TOKEN` outside jobs. */
function locate(workflow: Json, trail: Trail): string {
  const [top, jobId, steps, stepIndex, ...rest] = trail;
  if (top !== 'jobs' || jobId === undefined) return `at ${dotted(trail)}`;
  const job = `job ${show(String(jobId))}`;
  const jobs = workflow.jobs as Json;
  const stepList = (jobs[jobId] as Json | undefined)?.steps;
  if (steps === 'steps' && typeof stepIndex === 'number' && Array.isArray(stepList)) {
    const label = stepLabel(stepList[stepIndex], stepIndex);
    return rest.length > 0 ? `${job} ${label} at ${dotted(rest)}` : `${job} ${label}`;
  }
  const inJob = trail.slice(2);
  return inJob.length > 0 ? `${job} at ${dotted(inJob)}` : job;
}

function stepLabel(step: unknown, index: number): string {
  const name = isRecord(step) ? (step.name ?? step.id) : undefined;
  return typeof name === 'string' ? `step ${index + 1} (${show(name)})` : `step ${index + 1}`;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:$/, '');
}

function dotted(trail: Trail): string {
  return trail
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
