/**
 * The one SSRF-safe image fetcher, shared by the web app (paste a URL) and the remove.bg API
 * (`image_url`, `bg_image_url`).
 *
 * Why it is built on node:http(s) and not `fetch`: the host name is resolved exactly once, every
 * resolved address is checked, and the socket is opened to that very address through a custom
 * `lookup` — so a DNS answer that changes between "check" and "connect" (DNS rebinding) cannot
 * steer us to an internal address. Redirects are followed by hand so each hop is checked again.
 */
import { MAX_UPLOAD_BYTES } from '@bgr/inference-client/options';
import { env } from '~/env';
import { parseAllowList } from './allow-list';
import { FetchUrlError, networkDetail } from './errors';
import { type HopResult, REDIRECT_STATUSES, requestOnce } from './request';
import { assertHttpScheme, parseHttpUrl, resolveTarget } from './target';

export interface FetchImageUrlOptions {
  /** Largest body accepted (default 22 MiB, the upload limit). */
  maxBytes?: number;
  /** Total time for the whole download including redirects (default 20 s). */
  timeoutMs?: number;
  /** Redirect hops followed (default 5). */
  maxRedirects?: number;
  /** Allow-list in `FETCH_ALLOW_HOSTS` syntax; defaults to the environment variable. */
  allowHosts?: string;
}

export interface FetchedImage {
  bytes: Buffer;
  contentType: string | null;
  finalUrl: string;
}

const DEFAULT_MAX_BYTES = MAX_UPLOAD_BYTES;
const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_REDIRECTS = 5;
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** DNS lookups cannot be cancelled; stop waiting for one when the deadline passes. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', abort);
        reject(err);
      },
    );
  });
}

/**
 * Downloads an image from a public http(s) URL. Throws FetchUrlError with
 * `invalid_image_url` (malformed URL) or `failed_image_download` (anything else; `detail` says what).
 */
export async function fetchImageUrl(input: string, opts: FetchImageUrlOptions = {}): Promise<FetchedImage> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const allow = parseAllowList(opts.allowHosts ?? env().fetchAllowHosts);

  let url = parseHttpUrl(input);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const timeoutError = () =>
    new FetchUrlError(
      'failed_image_download',
      'timeout',
      `The download timed out after ${Math.round(timeoutMs / 100) / 10} seconds.`,
    );

  try {
    for (let hop = 0; ; hop++) {
      const target = await untilAborted(resolveTarget(url, allow), controller.signal, timeoutError);
      let result: HopResult | undefined;
      let lastError: unknown;
      for (const { address, family } of target.addresses) {
        try {
          result = await requestOnce({ url, hostname: target.hostname, address, family }, maxBytes, controller.signal);
          break;
        } catch (err) {
          if (err instanceof FetchUrlError) throw err;
          if (timedOut) throw timeoutError();
          lastError = err;
          // Dual-stack names (localhost → ::1 and 127.0.0.1): try the next checked address.
          if (!CONNECT_ERRORS.has((err as { code?: string })?.code ?? '')) break;
        }
      }
      if (!result) throw new FetchUrlError('failed_image_download', 'network', networkDetail(lastError));
      if (REDIRECT_STATUSES.has(result.status)) {
        if (!result.location) {
          throw new FetchUrlError(
            'failed_image_download',
            'http_status',
            `The server answered HTTP ${result.status} without a Location to redirect to.`,
          );
        }
        if (hop >= maxRedirects) {
          throw new FetchUrlError(
            'failed_image_download',
            'too_many_redirects',
            `The download was redirected more than ${maxRedirects} times.`,
          );
        }
        let next: URL;
        try {
          next = new URL(result.location, url);
        } catch {
          throw new FetchUrlError('failed_image_download', 'invalid_url', 'The server redirected to a malformed URL.');
        }
        assertHttpScheme(
          next,
          (scheme) => `The server redirected to a ${scheme} URL; only http and https are followed.`,
          'failed_image_download',
        );
        url = next;
        continue;
      }
      if (result.status < 200 || result.status >= 300 || !result.bytes) {
        throw new FetchUrlError(
          'failed_image_download',
          'http_status',
          `The server answered HTTP ${result.status} instead of an image.`,
        );
      }
      return { bytes: result.bytes, contentType: result.contentType, finalUrl: url.toString() };
    }
  } finally {
    clearTimeout(timer);
  }
}
