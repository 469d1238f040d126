// The HTTP client for the public /v1.0 API (X-Api-Key). It retries what is safe to retry: network
// errors and 5xx (every removebg call carries an Idempotency-Key, so a retry is never charged twice),
// 429 after its Retry-After, and 409 while an earlier attempt with the same key is still running.
import { setTimeout as sleep } from 'node:timers/promises';
import { USER_AGENT } from './version.js';

/**
 * @typedef {{ ok: true, response: Response }} Answer
 * @typedef {{ ok: false, status: number, code: string, message: string }} Failure
 */

const RETRIES = 5;
const MAX_RATE_LIMIT_WAITS = 100;
const MAX_CONFLICT_WAITS = 60;
const CONFLICT_WAIT_MS = 2000;

/**
 * The API's base URL ending in /v1.0, from `http://host:3000` or `http://host:3000/v1.0`.
 * @param {string} apiUrl
 */
export function apiBase(apiUrl) {
  const url = new URL(apiUrl);
  const pathname = url.pathname.replace(/\/+$/, '');
  url.pathname = pathname.endsWith('/v1.0') ? pathname : `${pathname}/v1.0`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * Seconds to wait from a Retry-After header (seconds or an HTTP date); 5 when absent or unreadable.
 * @param {string | null} header
 */
export function retryAfterMs(header) {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 3600) * 1000;
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, Math.min(at - Date.now(), 3_600_000));
  }
  return 5000;
}

/**
 * The API's error sentence from a failed response (remove.bg's `{"errors":[{title,code,detail}]}`).
 * @param {Response} response
 * @returns {Promise<Failure>}
 */
async function failureOf(response) {
  const text = await response.text().catch(() => '');
  try {
    const first = JSON.parse(text)?.errors?.[0];
    if (first && (first.detail || first.title)) {
      return {
        ok: false,
        status: response.status,
        code: String(first.code ?? 'unknown'),
        message: sentence(String(first.detail || first.title)),
      };
    }
  } catch {
    // Not JSON: described by the status below.
  }
  return {
    ok: false,
    status: response.status,
    code: 'unknown',
    message: `The server answered ${response.status} ${response.statusText || 'without a reason'}.`,
  };
}

/** @param {string} text */
function sentence(text) {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export class ApiClient {
  /**
   * @param {{ apiUrl: string, apiKey: string, onWait?: (reason: string, ms: number) => void }} options
   */
  constructor({ apiUrl, apiKey, onWait }) {
    this.base = apiBase(apiUrl);
    this.apiKey = apiKey;
    this.onWait = onWait ?? (() => {});
  }

  /** GET /v1.0/account → the parsed JSON, or a failure. */
  async account() {
    const answer = await this.#send('account', { method: 'GET', headers: { Accept: 'application/json' } });
    if (!answer.ok) return answer;
    return { ok: /** @type {const} */ (true), json: await answer.response.json() };
  }

  /**
   * POST /v1.0/removebg with the image and options as multipart fields.
   * @param {FormData} form
   * @param {string} idempotencyKey
   */
  async removeBg(form, idempotencyKey) {
    const answer = await this.#send('removebg', {
      method: 'POST',
      body: form,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    if (!answer.ok) return answer;
    const { response } = answer;
    return {
      ok: /** @type {const} */ (true),
      body: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? '',
      credits: Number(response.headers.get('x-credits-charged')) || 0,
    };
  }

  /**
   * @param {string} endpoint
   * @param {{ method: string, body?: FormData, headers: Record<string, string> }} init
   * @returns {Promise<Answer | Failure>}
   */
  async #send(endpoint, init) {
    const url = `${this.base}/${endpoint}`;
    const headers = { ...init.headers, 'X-Api-Key': this.apiKey, 'User-Agent': USER_AGENT };
    let failures = 0;
    let rateWaits = 0;
    let conflictWaits = 0;
    for (;;) {
      /** @type {Response} */
      let response;
      try {
        response = await fetch(url, { method: init.method, body: init.body, headers });
      } catch (err) {
        const cause = /** @type {{ cause?: { message?: string }, message?: string }} */ (err);
        const why = cause?.cause?.message ?? cause?.message ?? String(err);
        if (++failures > RETRIES) {
          return { ok: false, status: 0, code: 'network', message: `Could not reach ${this.base}: ${why}.` };
        }
        await this.#wait('network error', backoffMs(failures));
        continue;
      }
      if (response.ok) return { ok: true, response };
      if (response.status === 429 && ++rateWaits <= MAX_RATE_LIMIT_WAITS) {
        await response.body?.cancel();
        await this.#wait('rate limited', retryAfterMs(response.headers.get('retry-after')));
        continue;
      }
      const failure = await failureOf(response);
      if (failure.status === 409 && failure.code === 'idempotency_conflict' && ++conflictWaits <= MAX_CONFLICT_WAITS) {
        await this.#wait('an earlier attempt is still running', CONFLICT_WAIT_MS);
        continue;
      }
      if (failure.status >= 500 && ++failures <= RETRIES) {
        await this.#wait(`server error ${failure.status}`, backoffMs(failures));
        continue;
      }
      return failure;
    }
  }

  /**
   * @param {string} reason
   * @param {number} ms
   */
  async #wait(reason, ms) {
    this.onWait(reason, ms);
    await sleep(ms);
  }
}

/** @param {number} attempt 1, 2, … → 1 s, 2 s, 4 s, … (at most 30 s) */
function backoffMs(attempt) {
  return Math.min(30_000, 1000 * 2 ** (attempt - 1));
}
