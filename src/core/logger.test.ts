import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger.js';
import { createSecretRedactor } from './secrets/secret-redactor.js';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe('logger', () => {
  it('scrubs configured secrets in any encoding, and GitHub tokens', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', secrets: ['sk-live-logger-42'], destination });
    const token = `ghs_${'x9'.repeat(18)}`;
    logger.info({ url: `https://x-access-token:${token}@github.com/a/b` }, 'push sk-live-logger-42');
    logger.info({ header: Buffer.from('sk-live-logger-42').toString('base64') }, 'retry');
    const text = lines.join('');
    expect(text).not.toContain('sk-live-logger-42');
    expect(text).not.toContain(token);
    expect(text).not.toContain(Buffer.from('sk-live-logger-42').toString('base64'));
    expect(text.match(/\[REDACTED\]/g)).toHaveLength(3);
  });

  it('uses the redactor it is given, so secrets it learns later are scrubbed too', () => {
    const { lines, destination } = capture();
    const redactor = createSecretRedactor([]);
    const logger = createLogger({ level: 'info', redactor, destination });
    redactor.add('v1.minted-later-token');
    logger.info({ token: 'fine' }, 'using v1.minted-later-token');
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'using [REDACTED]', token: '[REDACTED]' });
  });
});
