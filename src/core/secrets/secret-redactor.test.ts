import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { createSecretRedactor, REDACTED, secretsFromUrls } from './secret-redactor.js';

const SECRET = 'sk-live 7c1f/0e2d+9b8a"4c3e&x=1';
const { privateKey: PEM } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const PEM_BODY = PEM.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));

/** The redacted text holds the marker and none of the given leaked forms. */
function expectRedacted(text: string, ...leaked: string[]) {
  expect(text).toContain(REDACTED);
  for (const form of leaked) expect(text).not.toContain(form);
}

describe('secret redactor', () => {
  const redactor = createSecretRedactor([SECRET, PEM, 'short']);
  const bytes = Buffer.from(SECRET);

  it.each([
    ['raw', SECRET],
    ['base64', bytes.toString('base64')],
    ['base64 without padding', bytes.toString('base64').replace(/=+$/, '')],
    ['base64url', bytes.toString('base64url')],
    ['hex', bytes.toString('hex')],
    ['upper-case hex', bytes.toString('hex').toUpperCase()],
    ['URL-encoded', encodeURIComponent(SECRET)],
    ['form-encoded', new URLSearchParams({ k: SECRET }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
  ])('redacts the %s form', (_name, form) => {
    const text = `before ${form} after`;
    expect(redactor.contains(text)).toBe(true);
    expect(redactor.redact(text)).toBe(`before ${REDACTED} after`);
  });

  it('redacts the secret base64-encoded inside a longer value (Basic auth) at any offset', () => {
    for (const user of ['x', 'xy', 'xyz', 'x-access-token']) {
      const header = `Authorization: Basic ${Buffer.from(`${user}:${SECRET}`).toString('base64')}`;
      expect(redactor.contains(header)).toBe(true);
    }
  });

  it('redacts a PEM key with real newlines, with \\n escapes, its body alone, and one body line', () => {
    const escaped = PEM.replace(/\n/g, '\\n');
    expect(redactor.redact(`key: ${PEM}`)).toBe(`key: ${REDACTED}`);
    expect(redactor.redact(`GITHUB_PRIVATE_KEY="${escaped}"`)).toBe(`GITHUB_PRIVATE_KEY="${REDACTED}"`);
    expectRedacted(redactor.redact(`body ${PEM_BODY.join('')}`), PEM_BODY[0]!);
    expectRedacted(redactor.redact(`line 3: ${PEM_BODY[3]!}`), PEM_BODY[3]!);
    // Given escaped (as in an env file), the key is still found with real newlines.
    const fromEnv = createSecretRedactor([escaped]);
    expectRedacted(fromEnv.redact(PEM), PEM_BODY[1]!);
    expectRedacted(fromEnv.redact(JSON.stringify({ key: PEM })), PEM_BODY[1]!);
  });

  it('redacts GitHub token shapes that were never configured', () => {
    const tokens = [
      `ghs_${'A1b2C3d4E5'.repeat(4)}`,
      `ghp_${'z'.repeat(36)}`,
      `gho_${'0'.repeat(40)}`,
      `ghu_${'Q'.repeat(36)}`,
      `ghr_${'r9'.repeat(18)}`,
      `github_pat_11ABCDEFG0${'x_Y'.repeat(20)}`,
    ];
    for (const token of tokens) {
      expect(createSecretRedactor().redact(`https://x-access-token:${token}@github.com/a/b.git`)).toBe(
        `https://x-access-token:${REDACTED}@github.com/a/b.git`,
      );
    }
    expect(createSecretRedactor().redact('ghp_tooShort and ghs_')).toBe('ghp_tooShort and ghs_');
  });

  it('learns secrets at run time', () => {
    const later = createSecretRedactor([]);
    const token = 'v1.installation-token-42';
    expect(later.redact(`token ${token}`)).toBe(`token ${token}`);
    later.add(token);
    later.add(token);
    later.add('tiny');
    expect(later.size).toBe(1);
    expect(later.redact(`token ${token} / ${Buffer.from(token).toString('hex')}`)).toBe(
      `token ${REDACTED} / ${REDACTED}`,
    );
  });

  it('redacts strings deep inside objects and arrays, keeping everything else', () => {
    const when = new Date(0);
    const value = {
      ok: false,
      durationMs: 12,
      steps: [{ output: `npm ERR! ${SECRET}`, ok: true }, null],
      when,
      nested: { [SECRET]: 'key' },
    };
    const redacted = redactor.redactDeep(value);
    expect(redacted).toEqual({
      ok: false,
      durationMs: 12,
      steps: [{ output: `npm ERR! ${REDACTED}`, ok: true }, null],
      when,
      nested: { [REDACTED]: 'key' },
    });
    expect(value.steps[0]).toEqual({ output: `npm ERR! ${SECRET}`, ok: true });
  });

  it('leaves ordinary text alone, and ignores secrets too short to scan for', () => {
    const text =
      'Validation passed: lint, typecheck, 7 tests, build (1.2 s). short shorts. ' +
      'ghp_ tokens start like this. postgresql://localhost:5432/app';
    expect(redactor.contains(text)).toBe(false);
    expect(redactor.redact(text)).toBe(text);
    expect(redactor.size).toBe(2);
  });
});

describe('secretsFromUrls', () => {
  it('returns connection-string passwords, as written and decoded', () => {
    expect(
      secretsFromUrls([
        'postgresql://app:s3cr%40t-pass@db.internal:5432/app',
        'redis://:r3dis-Pa55@cache:6379',
        'rediss://default:tls-pass-77@cache:6380/0',
      ]),
    ).toEqual(['s3cr%40t-pass', 's3cr@t-pass', 'r3dis-Pa55', 'tls-pass-77']);
  });

  it('skips URLs without a password, public defaults and unparsable values', () => {
    expect(
      secretsFromUrls([
        'postgresql://postgres@127.0.0.1:5432/autonoma',
        'redis://127.0.0.1:6379',
        'postgresql://autonoma:autonoma@postgres:5432/autonoma',
        'postgresql://app:postgres@db/app',
        'not a url',
        undefined,
      ]),
    ).toEqual([]);
  });

  it('feeds the redactor so a leaked connection string is scrubbed', () => {
    const url = 'postgresql://app:s3cr%40t-pass@db.internal:5432/app';
    const redactor = createSecretRedactor(secretsFromUrls([url]));
    expect(redactor.redact(`connect ECONNREFUSED ${url}`)).toBe(
      `connect ECONNREFUSED postgresql://app:${REDACTED}@db.internal:5432/app`,
    );
    expect(redactor.redact('password "s3cr@t-pass" rejected')).toBe(`password "${REDACTED}" rejected`);
  });
});
