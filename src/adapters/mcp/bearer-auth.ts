import { createHash, timingSafeEqual } from 'node:crypto';
import type { McpCaller, McpToken } from './mcp-tokens.js';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Finds the token sent as `Authorization: Bearer <token>` among the configured ones, in constant
 * time: both sides are hashed first (no length leaks), and every token is compared whatever matched,
 * so neither which token matched nor how many there are shows in the timing.
 */
export function bearerTokenLookup(
  tokens: readonly McpToken[],
): (authorization: string | undefined) => McpCaller | undefined {
  const known = tokens.map((t) => ({
    digest: digest(t.secret),
    caller: { name: t.name, scope: t.scope, ...(t.tenant ? { tenant: t.tenant } : {}) } as McpCaller,
  }));
  return (authorization) => {
    const given = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
    // A missing token is still hashed and compared, so every rejection costs the same.
    const hashed = digest(given ?? '');
    let found: McpCaller | undefined;
    for (const token of known) {
      if (timingSafeEqual(hashed, token.digest) && found === undefined) found = token.caller;
    }
    return given === undefined ? undefined : found;
  };
}

/** The single-token check: `Authorization: Bearer <expectedToken>`, in constant time. */
export function bearerTokenCheck(expectedToken: string): (authorization: string | undefined) => boolean {
  const lookup = bearerTokenLookup([{ name: 'default', scope: 'full', secret: expectedToken }]);
  return (authorization) => lookup(authorization) !== undefined;
}
