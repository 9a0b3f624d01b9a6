import { describe, expect, it } from '@jest/globals';
import type { ModelProvider } from '../../core/ports/model-provider.js';
import { assertNoSecrets, assertNoSecretsInRequest, withSecretGuard } from './secret-scan.js';

const SECRET = 'sk-live-7c1f0e2d9b8a4c3e';

describe('secret scanner', () => {
  it('names the files holding a secret, never the secret itself', () => {
    const files = new Map([
      ['src/server/app.ts', 'export const app = 1;\n'],
      ['.env', `OPENAI_API_KEY=${SECRET}\n`],
      ['src/config.ts', `export const token = atob('${Buffer.from(SECRET).toString('base64')}');\n`],
    ]);
    let message = '';
    try {
      assertNoSecrets(files, [SECRET, 'short']);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/found in \.env, src\/config\.ts; nothing was published/);
    expect(message).not.toContain(SECRET);
  });

  it('finds secrets in any common encoding, and GitHub tokens nobody configured', () => {
    const files = new Map([
      ['hex.ts', `const k = '${Buffer.from(SECRET).toString('hex')}';\n`],
      ['url.ts', `fetch('/x?key=${encodeURIComponent(`${SECRET}/1`)}');\n`],
      ['ci.yml', `token: ghs_${'a1B2'.repeat(9)}\n`],
      ['ok.ts', 'export {};\n'],
    ]);
    expect(() => assertNoSecrets(files, [SECRET, `${SECRET}/1`])).toThrow(
      /found in ci\.yml, hex\.ts, url\.ts;/,
    );
  });

  it('passes clean files, and ignores secrets too short to scan for', () => {
    expect(() => assertNoSecrets(new Map([['a.ts', 'const x = "abc";']]), [SECRET, 'abc'])).not.toThrow();
  });

  it('refuses a prompt carrying a secret, anywhere in the conversation', () => {
    const base = { agent: 'backend', system: 'Work.' };
    expect(() =>
      assertNoSecretsInRequest({ ...base, messages: [{ role: 'user', content: `use key ${SECRET}` }] }, [
        SECRET,
      ]),
    ).toThrow(/backend agent's prompt would contain a configured secret/);
    expect(() =>
      assertNoSecretsInRequest(
        {
          ...base,
          messages: [
            {
              role: 'assistant',
              content: '',
              toolCalls: [{ id: '1', name: 'write_file', arguments: { content: `KEY=\n${SECRET}` } }],
            },
          ],
        },
        [SECRET],
      ),
    ).toThrow(/configured secret/);
  });

  it('guards a provider: the model is never called with a secret', async () => {
    let called = 0;
    const inner: ModelProvider = {
      name: 'x',
      cost: () => 0,
      async complete() {
        called += 1;
        return {
          content: '',
          toolCalls: [],
          stopReason: 'end',
          usage: { inputTokens: 0, outputTokens: 0 },
          model: 'x',
        };
      },
    };
    const guarded = withSecretGuard(inner, [SECRET]);
    await expect(
      guarded.complete({
        agent: 'a',
        system: 's',
        tools: [],
        messages: [{ role: 'tool', toolCallId: '1', name: 'read_file', content: SECRET, isError: false }],
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await guarded.complete({
      agent: 'a',
      system: 's',
      tools: [],
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(called).toBe(1);
  });
});
