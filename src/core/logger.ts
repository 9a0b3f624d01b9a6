import { pino, type Logger as PinoLogger } from 'pino';

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
];

export interface LoggerOptions {
  level: string;
  /** Secret values (from config) scrubbed from every log line, wherever they appear. */
  secrets?: readonly string[];
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
  const scrub = (line: string) =>
    secrets.reduce((text, secret) => text.split(secret).join('[REDACTED]'), line);
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  const stream: pino.DestinationStream =
    secrets.length === 0 ? destination : { write: (line: string) => destination.write(scrub(line)) };
  return pino({ level: options.level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } }, stream);
}
