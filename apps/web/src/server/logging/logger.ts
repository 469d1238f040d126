/**
 * The web app's structured log: JSON lines on stdout (pino), one per request (request-log.ts), at
 * LOG_LEVEL (default info; `silent` writes nothing). One logger per process on globalThis, like
 * the metrics registry, because Next.js bundles instrumentation and routes apart.
 */
import pino, { type Logger } from 'pino';
import { env } from '~/env';

const KEY = Symbol.for('bgr.web.logger');

export function logger(): Logger {
  const g = globalThis as { [KEY]?: Logger };
  g[KEY] ??= pino({
    level: env().logLevel,
    base: { service: 'web' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
  return g[KEY];
}
