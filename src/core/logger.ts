import { pino, type Logger as PinoLogger } from 'pino';
import { createSecretRedactor, type SecretRedactor } from './secrets/secret-redactor.js';

export type Logger = PinoLogger;

/** Field paths whose values are never logged, whatever component logs them. */
const REDACT_PATHS = [
  'token',
  'password',
  'secret',
  'apiKey',
  'authorization',
  '*.token',
  '*.password',
  '*.secret',
  '*.apiKey',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-signature-ed25519"]',
  // @octokit/webhooks attaches the whole delivery to its errors (a bad signature logs the payload).
  'err.event.payload',
  'err.event.event.payload',
  'err.aggregateErrors[*].event.payload',
];

export interface LoggerOptions {
  level: string;
  /** Secret values (from config) scrubbed from every log line, wherever they appear. */
  secrets?: readonly string[];
  /** Used instead of `secrets` when given: secrets it learns later (installation tokens) are scrubbed too. */
  redactor?: SecretRedactor;
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const redactor = options.redactor ?? createSecretRedactor(options.secrets ?? []);
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  // Every line, even with no secret configured: well-known token shapes are redacted as well.
  const stream: pino.DestinationStream = {
    write: (line: string) => destination.write(redactor.redact(line)),
  };
  return pino({ level: options.level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } }, stream);
}
