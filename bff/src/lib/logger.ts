import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; tokens never reach a log line, even by accident through headers. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'okr-embed-bff' },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token'],
      censor: '[redacted]',
    },
  });
}
