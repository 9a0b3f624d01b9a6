import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

const describe = (parts: unknown[]) =>
  parts
    .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p)))
    .join(' ');

/** Bolt's logger interface over our pino logger, so Bolt's lines share our format and redaction. */
export function toBoltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'slack-bolt' });
  return {
    // Bolt logs on every request: describe its arguments only when the line will be written.
    debug: (...msg: unknown[]) => {
      if (log.isLevelEnabled('debug')) log.debug({}, describe(msg));
    },
    info: (...msg: unknown[]) => {
      if (log.isLevelEnabled('info')) log.info({}, describe(msg));
    },
    warn: (...msg: unknown[]) => log.warn({}, describe(msg)),
    error: (...msg: unknown[]) => log.error({}, describe(msg)),
    // The level is ours (LOG_LEVEL), not Bolt's.
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}
