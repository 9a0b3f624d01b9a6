import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';

/**
 * Who is calling the MCP endpoint, as far as the tools care: a token's name (logged, never its
 * secret), its scope, and the tenant whose jobs it may see and change (none: every job).
 */
export interface McpCaller {
  name: string;
  /** `read`: job_status and list_jobs. `full`: also build_app and iterate. */
  scope: 'read' | 'full';
  tenant?: string;
}

export interface McpToken extends McpCaller {
  secret: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,40}$/;
const TENANT = /^[A-Za-z0-9_.-]{1,64}$/;

const TokenSchema = z.object({
  name: z.string().regex(NAME, 'a token name is 1-40 letters, digits, _ . or -'),
  scope: z.enum(['read', 'full'], { message: 'scope is read or full' }),
  tenant: z
    .string()
    .regex(TENANT, 'a tenant is 1-64 letters, digits, _ . or -')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  secret: z.string().min(16, 'each secret must be at least 16 characters'),
});

const FORMAT =
  'set MCP_TOKENS to comma-separated name:scope:tenant:secret entries (tenant may be empty, e.g. ' +
  '"ci:read::<secret>,acme-bot:full:acme:<secret>"), or to a JSON array of {"name","scope","tenant","secret"}';

/** `name:scope:tenant:secret` (the secret may itself contain colons). */
function fromColonList(raw: string): unknown[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, scope, tenant, ...secret] = entry.split(':');
      return { name, scope, tenant, secret: secret.join(':') };
    });
}

function fromJson(raw: string): unknown[] {
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // Reported below without echoing the value (it holds secrets).
  }
  throw new ConfigError(`MCP_TOKENS is not a valid JSON array; ${FORMAT}.`);
}

/**
 * The tokens the MCP endpoint accepts: MCP_BEARER_TOKEN (named `default`, full scope, every tenant)
 * and each MCP_TOKENS entry. Bad entries are a ConfigError naming the entry by position and name,
 * never by its secret.
 */
export function parseMcpTokens(bearerToken: string | undefined, raw: string | undefined): McpToken[] {
  const tokens: McpToken[] = bearerToken ? [{ name: 'default', scope: 'full', secret: bearerToken }] : [];
  if (raw === undefined || raw.trim() === '') return tokens;
  const entries = raw.trim().startsWith('[') ? fromJson(raw.trim()) : fromColonList(raw);
  entries.forEach((entry, index) => {
    const parsed = TokenSchema.safeParse(entry);
    if (!parsed.success) {
      const name = (entry as { name?: unknown } | null)?.name;
      const which = typeof name === 'string' && NAME.test(name) ? `"${name}"` : `#${index + 1}`;
      throw new ConfigError(
        `MCP_TOKENS entry ${which}: ${parsed.error.issues.map((i) => i.message).join('; ')}; ${FORMAT}.`,
      );
    }
    const { name, scope, tenant, secret } = parsed.data;
    if (tokens.some((t) => t.name === name)) {
      throw new ConfigError(`MCP_TOKENS names "${name}" twice (or uses "default", MCP_BEARER_TOKEN's name).`);
    }
    if (tokens.some((t) => t.secret === secret)) {
      throw new ConfigError(`MCP_TOKENS entry "${name}" reuses another token's secret; give each its own.`);
    }
    tokens.push({ name, scope, ...(tenant ? { tenant } : {}), secret });
  });
  return tokens;
}
