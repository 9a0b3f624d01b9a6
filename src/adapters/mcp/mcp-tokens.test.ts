import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { bearerTokenLookup } from './bearer-auth.js';
import { parseMcpTokens } from './mcp-tokens.js';

const SECRET_A = 'a'.repeat(16) + ':with:colons';
const SECRET_B = 'b'.repeat(20);

describe('parseMcpTokens', () => {
  it('reads name:scope:tenant:secret entries, with an empty tenant and colons in the secret', () => {
    expect(parseMcpTokens('x'.repeat(16), `ci:read::${SECRET_A}, acme-bot:full:acme:${SECRET_B}`)).toEqual([
      { name: 'default', scope: 'full', secret: 'x'.repeat(16) },
      { name: 'ci', scope: 'read', secret: SECRET_A },
      { name: 'acme-bot', scope: 'full', tenant: 'acme', secret: SECRET_B },
    ]);
  });

  it('reads the JSON form', () => {
    const raw = JSON.stringify([{ name: 'ci', scope: 'read', tenant: 'acme', secret: SECRET_B }]);
    expect(parseMcpTokens(undefined, raw)).toEqual([
      { name: 'ci', scope: 'read', tenant: 'acme', secret: SECRET_B },
    ]);
  });

  it('names the bad entry and what is wrong, never its secret', () => {
    const attempts = [
      [`ci:write::${SECRET_B}`, /entry "ci": scope is read or full/],
      ['ci:read::short', /entry "ci": each secret must be at least 16 characters/],
      [`ci:read::${SECRET_A},ci:full::${SECRET_B}`, /names "ci" twice/],
      [`ci:read::${SECRET_B},cd:full::${SECRET_B}`, /"cd" reuses another token's secret/],
      [`[{"name":"ci","secret":"${SECRET_B}"`, /not a valid JSON array/],
    ] as const;
    for (const [raw, message] of attempts) {
      let thrown: unknown;
      try {
        parseMcpTokens(undefined, raw);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).not.toContain(SECRET_B);
    }
  });

  it('keeps every MCP_TOKENS secret among the config secrets, so logs redact them', () => {
    const config = loadConfig({ MCP_TOKENS: `ci:read::${SECRET_A},acme-bot:full:acme:${SECRET_B}` });
    expect(config.secrets).toEqual(expect.arrayContaining([SECRET_A, SECRET_B]));
    expect(config.mcp.tokens).toBeDefined();
  });
});

describe('bearerTokenLookup', () => {
  it('finds the caller by the secret sent, and nobody for a missing, wrong or malformed one', () => {
    const lookup = bearerTokenLookup(
      parseMcpTokens(undefined, `ci:read:acme:${SECRET_A},cd:full::${SECRET_B}`),
    );
    expect(lookup(`Bearer ${SECRET_A}`)).toEqual({ name: 'ci', scope: 'read', tenant: 'acme' });
    expect(lookup(`bearer ${SECRET_B}`)).toEqual({ name: 'cd', scope: 'full' });
    for (const header of [undefined, `Bearer ${SECRET_B}x`, SECRET_B, 'Bearer ']) {
      expect(lookup(header)).toBeUndefined();
    }
  });
});
