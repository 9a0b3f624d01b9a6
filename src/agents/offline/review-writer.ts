import { z } from 'zod';
import { SpecSchema } from '../../core/domain/spec.js';
import { ValidationReportSchema } from '../../core/domain/request.js';
import type { ReviewOutput } from '../pipeline/agent-outputs.js';

const ReviewInputSchema = z.object({
  spec: SpecSchema,
  api: z.array(z.object({ method: z.string(), path: z.string() })),
  pages: z.array(z.string()),
  files: z.array(z.string()),
  validation: ValidationReportSchema,
  change: z.object({ applied: z.array(z.string()), unhandled: z.array(z.string()) }).optional(),
});

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);

/** The review summary the offline reviewer writes: facts only, from the spec and the validation run. */
export function writeReview(rawInput: unknown): ReviewOutput {
  const input = ReviewInputSchema.parse(rawInput);
  const { spec, validation } = input;
  const entityLines = spec.entities.map(
    (e) =>
      `- **${e.label}**: ${e.fields.map((f) => `${f.name} (${f.type === 'enum' ? f.enumValues?.join('/') : f.type})`).join(', ')}`,
  );
  const steps = (['install', 'lint', 'typecheck', 'test', 'build'] as const)
    .map((name) => {
      const step = (validation as unknown as Record<string, { ok: boolean; durationMs: number } | undefined>)[
        name
      ];
      return step ? `${name} ${step.ok ? 'passed' : 'FAILED'} (${seconds(step.durationMs)})` : undefined;
    })
    .filter((s): s is string => s !== undefined);
  const summary = [
    input.change ? `Updated **${spec.appName}**.` : `Built **${spec.appName}**: ${spec.description}`,
    ...(input.change
      ? [
          ...input.change.applied.map((a) => `- ${a}`),
          ...input.change.unhandled.map((u) => `- Not done: ${u}`),
        ]
      : []),
    '',
    `Entities (${spec.entities.length}):`,
    ...entityLines,
    '',
    `${input.api.length} API endpoints, ${input.pages.length} pages, ${input.files.length} files.`,
    `Features: ${Object.entries(spec.features)
      .filter(([, on]) => on)
      .map(([name]) => name)
      .join(', ')}.`,
    `Validation ${validation.ok ? 'passed' : 'failed'}: ${steps.join(', ')}${
      validation.repairRounds > 0 ? `, after ${validation.repairRounds} repair round(s)` : ''
    }.`,
  ].join('\n');
  const checklist = [
    'Run it locally: `npm ci && npm run dev`, then create, edit and delete a row of each entity.',
    `Check the fields and types of ${spec.entities.map((e) => e.label).join(', ')} match what was asked.`,
    'Read the validation rules in the API schemas (required fields, enums, limits).',
    spec.features.auth
      ? 'Review the authentication flow and session handling in SECURITY.md before deploying.'
      : 'The app has no authentication: add it before exposing the app publicly.',
    'Set the secrets from .env.example in your deploy target (never commit them).',
    'Confirm the CI workflow passes on this pull request.',
  ];
  return { summary, checklist };
}
