import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Logs carry ids and counts, never content. The redaction list is a second line of defence
 * for fields that could hold secrets or personal data if a caller logs a whole object.
 */
const redactedPaths = [
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'password',
  '*.password',
  'text',
  '*.text',
  'query',
  '*.query',
  'subject',
  '*.subject',
  'from',
  '*.from',
  'to',
  '*.to',
];

export function createLogger(level: string, name = 'memtape'): Logger {
  return pino({ name, level, redact: { paths: redactedPaths, censor: '[redacted]' } });
}
