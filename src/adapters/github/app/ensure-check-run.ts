import type { ValidationReport } from '../../../core/domain/request.js';
import { callGitHub } from '../forge/index.js';
import type { GitHubAppContext } from './app-context.js';

export const CHECK_NAME = 'Autonoma validation';
const STEPS = ['syntax', 'workflows', 'install', 'lint', 'typecheck', 'test', 'build'] as const;
const TEXT_MAX = 60_000;
const TAIL = 3_000;

function fenced(content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${content}\n${fence}`;
}

export function checkOutput(validation: ValidationReport): { title: string; summary: string; text: string } {
  const rows = STEPS.flatMap((name) => {
    const step = validation[name];
    return step
      ? [`| ${name} | ${step.ok ? '✅ passed' : '❌ failed'} | ${(step.durationMs / 1000).toFixed(1)} s |`]
      : [];
  });
  const failed = STEPS.filter((name) => validation[name] && !validation[name]!.ok);
  const title = validation.ok
    ? 'Typecheck, tests and build passed'
    : `Failed: ${failed.join(', ') || 'validation'}`;
  const summary = [
    '| Step | Result | Time |',
    '| --- | --- | --- |',
    ...rows,
    '',
    `Repair rounds: ${validation.repairRounds}.`,
  ].join('\n');
  const text = failed
    .map((name) => {
      const output = validation[name]?.output ?? '';
      return `#### ${name}\n\n${fenced(output.slice(-TAIL) || '(no output)')}`;
    })
    .join('\n\n')
    .slice(0, TEXT_MAX);
  return { title, summary, text };
}

/**
 * The validation of a commit as one completed check run named CHECK_NAME: found first by name on the
 * commit (and edited only if its result differs), else created. Check runs are an App-only API, which
 * is why they live in the App adapter and not in the token-based forge.
 */
export async function ensureCheckRun(
  app: GitHubAppContext,
  installationId: number,
  input: { owner: string; repo: string; sha: string; validation: ValidationReport; detailsUrl?: string },
): Promise<'created' | 'updated' | 'unchanged'> {
  const octokit = app.octokit(installationId);
  const { owner, repo, sha } = input;
  const where = `${owner}/${repo}@${sha.slice(0, 7)}`;
  const output = checkOutput(input.validation);
  const conclusion = input.validation.ok ? 'success' : 'failure';
  const { data } = await callGitHub(`reading the check runs of ${where}`, () =>
    octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: sha,
      check_name: CHECK_NAME,
      filter: 'latest',
      per_page: 10,
    }),
  );
  const existing = data.check_runs[0];
  if (existing && existing.conclusion === conclusion && existing.output.summary === output.summary)
    return 'unchanged';
  const fields = {
    status: 'completed' as const,
    conclusion: conclusion as 'success' | 'failure',
    completed_at: app.now().toISOString(),
    output,
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
  };
  if (existing) {
    await callGitHub(`updating the ${CHECK_NAME} check on ${where}`, () =>
      octokit.rest.checks.update({ owner, repo, check_run_id: existing.id, ...fields }),
    );
    return 'updated';
  }
  await callGitHub(`creating the ${CHECK_NAME} check on ${where}`, () =>
    octokit.rest.checks.create({ owner, repo, name: CHECK_NAME, head_sha: sha, ...fields }),
  );
  return 'created';
}
