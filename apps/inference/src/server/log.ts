// The inference service's structured log: one JSON line per request on stdout (pino), so a log
// collector can follow one call from the web app (same X-Request-Id) into this replica. The
// human-readable start-up and shutdown lines stay on stderr (main.ts). LOG_LEVEL picks what is
// written: `info` (default) gives every request but the health probes, `debug` adds them, `silent`
// writes nothing.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A JSON-lines logger for this service; `destination` defaults to stdout. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'inference' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Writes nothing (the default of a service built without a logger, as the tests build it). */
export const silentLogger: Logger = pino({ level: 'silent' });
