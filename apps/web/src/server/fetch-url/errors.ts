/**
 * What a failed image download says: the remove.bg code callers map to an answer, the reason for
 * callers that want more, and a sentence for people naming what went wrong.
 */

export type FetchUrlErrorCode = 'invalid_image_url' | 'failed_image_download';

/** Why a download failed, for callers that want more than the remove.bg code. */
export type FetchUrlFailure =
  | 'invalid_url'
  | 'not_resolved'
  | 'refused'
  | 'http_status'
  | 'too_large'
  | 'timeout'
  | 'too_many_redirects'
  | 'network';

export class FetchUrlError extends Error {
  readonly code: FetchUrlErrorCode;
  readonly reason: FetchUrlFailure;
  /** A sentence for people: says what went wrong (which host, which rule). */
  readonly detail: string;
  constructor(code: FetchUrlErrorCode, reason: FetchUrlFailure, detail: string) {
    super(detail);
    this.name = 'FetchUrlError';
    this.code = code;
    this.reason = reason;
    this.detail = detail;
  }
}

export function tooLarge(maxBytes: number): FetchUrlError {
  const mb = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return new FetchUrlError('failed_image_download', 'too_large', `The image at the URL is larger than ${mb} MB.`);
}

export function networkDetail(err: unknown): string {
  const code = (err as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'The download failed: the server refused the connection.';
    case 'ECONNRESET':
      return 'The download failed: the server closed the connection.';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'The download failed: the server cannot be reached.';
    default:
      if (
        (typeof code === 'string' && code.startsWith('ERR_TLS')) ||
        /certificate/i.test(String((err as Error)?.message))
      ) {
        return 'The download failed: the server’s TLS certificate was not accepted.';
      }
      return 'The download failed before the image was complete.';
  }
}
