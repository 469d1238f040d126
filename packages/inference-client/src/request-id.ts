// The request id that ties one request's log lines together across the web app and the inference
// service. Why here: both processes read and write it, and this package is what they share. A
// client may send its own id (X-Request-Id) to find its call in the logs; it is believed only when
// it is short and made of safe characters, so a log line can never be forged or bloated through it.
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** True when `value` may be used as a request id as given. */
export function isSafeRequestId(value: string | null | undefined): value is string {
  return typeof value === 'string' && SAFE_REQUEST_ID.test(value);
}

/** The id a client sent when it is safe, else a new one. */
export function requestIdFrom(given: string | string[] | null | undefined): string {
  const value = Array.isArray(given) ? given[0] : given;
  return isSafeRequestId(value) ? value : randomUUID();
}
