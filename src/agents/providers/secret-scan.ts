import { AutonomaError } from '../../core/errors.js';
import type { CompletionRequest, ModelProvider } from '../../core/ports/model-provider.js';
import { createSecretRedactor, type SecretRedactor } from '../../core/secrets/secret-redactor.js';

/** What the messages call what was found; they never quote it. */
const WHAT = 'configured secret (an API key or token from the environment, or a GitHub access token)';

/** Every string inside a value (tool arguments), unescaped, so multi-line secrets still match. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

export function containsSecret(text: string, secrets: readonly string[]): boolean {
  return createSecretRedactor(secrets).contains(text);
}

/**
 * Throws when a generated file holds a secret (in any common encoding). The message names the files,
 * never the secret, so it can go to the chat thread as is.
 */
export function assertNoSecrets(files: ReadonlyMap<string, string>, secrets: readonly string[]): void {
  const redactor = createSecretRedactor(secrets);
  const leaking = [...files.entries()]
    .filter(([, content]) => redactor.contains(content))
    .map(([file]) => file)
    .sort();
  if (leaking.length > 0) {
    throw new AutonomaError(
      'validation_failed',
      `A ${WHAT} was found in ${leaking.join(', ')}; ` +
        'nothing was published. Remove it from the request or the code it came from, and rotate the secret if it was shared.',
      { details: { files: leaking } },
    );
  }
}

function assertRequestClean(
  request: Pick<CompletionRequest, 'system' | 'messages' | 'agent'>,
  redactor: SecretRedactor,
): void {
  const parts = [
    request.system,
    ...request.messages.flatMap((m) =>
      m.role === 'assistant'
        ? [m.content, ...m.toolCalls.flatMap((c) => [c.invalidArguments?.raw ?? '', ...strings(c.arguments)])]
        : [m.content],
    ),
  ];
  if (parts.some((part) => redactor.contains(part))) {
    throw new AutonomaError(
      'invalid_input',
      `The ${request.agent} agent's prompt would contain a ${WHAT}, ` +
        'so it was not sent to the model. Remove the secret from the request or the files it refers to.',
    );
  }
}

/** Throws before a prompt holding a secret is sent to a model. */
export function assertNoSecretsInRequest(
  request: Pick<CompletionRequest, 'system' | 'messages' | 'agent'>,
  secrets: readonly string[],
): void {
  assertRequestClean(request, createSecretRedactor(secrets));
}

/** A provider that refuses to send any secret to the model. */
export function withSecretGuard(inner: ModelProvider, secrets: readonly string[]): ModelProvider {
  // Built once: every model call is scanned.
  const redactor = createSecretRedactor(secrets);
  return {
    name: inner.name,
    cost: (model, usage) => inner.cost(model, usage),
    async complete(request) {
      assertRequestClean(request, redactor);
      return inner.complete(request);
    },
  };
}
