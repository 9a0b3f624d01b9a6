import { AutonomaError } from '../../core/errors.js';
import type { CompletionRequest, ModelProvider } from '../../core/ports/model-provider.js';

/** Secrets shorter than this are too likely to match by chance (config keeps only ≥ 6 characters). */
const MIN_SECRET_LENGTH = 6;

/** The forms a secret is found in: as is, and base64 / base64url encoded (e.g. in a Basic auth header). */
function needles(secrets: readonly string[]): string[] {
  return secrets
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .flatMap((s) => {
      const base64 = Buffer.from(s).toString('base64').replace(/=+$/, '');
      return [s, base64, Buffer.from(s).toString('base64url')];
    });
}

/** Every string inside a value (tool arguments), unescaped, so multi-line secrets still match. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

export function containsSecret(text: string, secrets: readonly string[]): boolean {
  const forms = needles(secrets);
  return forms.some((needle) => text.includes(needle));
}

/**
 * Throws when a generated file holds a configured secret. The message names the files, never the
 * secret, so it can go to the chat thread as is.
 */
export function assertNoSecrets(files: ReadonlyMap<string, string>, secrets: readonly string[]): void {
  const forms = needles(secrets);
  if (forms.length === 0) return;
  const leaking = [...files.entries()]
    .filter(([, content]) => forms.some((needle) => content.includes(needle)))
    .map(([file]) => file)
    .sort();
  if (leaking.length > 0) {
    throw new AutonomaError(
      'validation_failed',
      `A configured secret (an API key or token from the environment) was found in ${leaking.join(', ')}; ` +
        'nothing was published. Remove it from the request or the code it came from, and rotate the secret if it was shared.',
      { details: { files: leaking } },
    );
  }
}

/** Throws before a prompt holding a configured secret is sent to a model. */
export function assertNoSecretsInRequest(
  request: Pick<CompletionRequest, 'system' | 'messages' | 'agent'>,
  secrets: readonly string[],
): void {
  const forms = needles(secrets);
  if (forms.length === 0) return;
  const parts = [
    request.system,
    ...request.messages.flatMap((m) =>
      m.role === 'assistant'
        ? [m.content, ...m.toolCalls.flatMap((c) => [c.invalidArguments?.raw ?? '', ...strings(c.arguments)])]
        : [m.content],
    ),
  ];
  if (parts.some((part) => forms.some((needle) => part.includes(needle)))) {
    throw new AutonomaError(
      'invalid_input',
      `The ${request.agent} agent's prompt would contain a configured secret (an API key or token from the environment), ` +
        'so it was not sent to the model. Remove the secret from the request or the files it refers to.',
    );
  }
}

/** A provider that refuses to send any configured secret to the model. */
export function withSecretGuard(inner: ModelProvider, secrets: readonly string[]): ModelProvider {
  return {
    name: inner.name,
    cost: (model, usage) => inner.cost(model, usage),
    async complete(request) {
      assertNoSecretsInRequest(request, secrets);
      return inner.complete(request);
    },
  };
}
