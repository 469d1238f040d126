/**
 * Request bodies are read through here and nowhere else, so none is ever buffered past its cap:
 * a chunked body (no Content-Length) is counted while it streams, and the read stops the moment
 * the count passes the limit (the stream is cancelled once the 413 is out). The caps of every
 * route live in BODY_LIMITS below, in one place.
 */
import { MAX_UPLOAD_BYTES } from '@bgr/inference-client/options';

const MB = 1024 * 1024;

/** The largest body each route reads (bytes). */
export const BODY_LIMITS = {
  /** tRPC calls carry small JSON inputs only. */
  trpc: 1 * MB,
  /** Web upload: a 22 MB image plus multipart framing. */
  upload: 23 * MB,
  /** /v1.0/removebg: a 22 MB image as base64 (×4/3) in a url-encoded form still fits. */
  removebg: Math.ceil(MAX_UPLOAD_BYTES * 1.5),
  /** /v1.0/improve: a 22 MB image plus multipart framing. */
  improve: 23 * MB,
  /** next-auth's sign-in, sign-out and callback posts: a few form fields. */
  auth: 64 * 1024,
} as const;

/** "23 MB", "1 MB", "33 MB" — how a limit is named in sentences. */
export function formatLimit(limitBytes: number): string {
  return limitBytes >= MB ? `${Math.round((limitBytes / MB) * 10) / 10} MB` : `${Math.ceil(limitBytes / 1024)} KB`;
}

/** The body passed its cap (declared or counted); answer 413. */
export class BodyTooLargeError extends Error {
  readonly status = 413;
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than the ${formatLimit(limitBytes)} this address accepts.`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * How long a body we stopped reading stays paused before its stream is cancelled. Cancelling
 * closes the connection in Node's HTTP server (the unread bytes reset it), so the answer (413,
 * 401, …) must be out first; meanwhile nothing is read, so nothing more reaches memory.
 */
export const CANCEL_DELAY_MS = 2000;

function cancelLater(target: { cancel(reason?: unknown): Promise<void> }, reason: unknown, delayMs: number): void {
  const cancel = () => void target.cancel(reason).catch(() => {});
  if (delayMs <= 0) cancel();
  else setTimeout(cancel, delayMs).unref();
}

/** Leaves a body unread: it stays paused and is cancelled after `delayMs`. */
export function abandonBody(request: Request, delayMs = CANCEL_DELAY_MS): void {
  if (request.body && !request.body.locked) cancelLater(request.body, undefined, delayMs);
}

export interface ReadOptions {
  /** Delay before an over-cap body's stream is cancelled (default CANCEL_DELAY_MS). */
  cancelDelayMs?: number;
}

/**
 * Reads the whole body, at most `limitBytes` of it. Past the limit (or when Content-Length
 * already says so) it stops reading, throws BodyTooLargeError and cancels the stream shortly
 * after (see CANCEL_DELAY_MS); the rest is never read.
 */
export async function readLimitedBody(
  request: Request,
  limitBytes: number,
  opts: ReadOptions = {},
): Promise<Uint8Array> {
  const delayMs = opts.cancelDelayMs ?? CANCEL_DELAY_MS;
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limitBytes) {
    const err = new BodyTooLargeError(limitBytes);
    if (request.body && !request.body.locked) cancelLater(request.body, err, delayMs);
    throw err;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      const err = new BodyTooLargeError(limitBytes);
      chunks.length = 0;
      cancelLater(reader, err, delayMs);
      throw err;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Parses a multipart/form-data or url-encoded body from at most `limitBytes` read bytes
 * (never through `request.formData()`, which buffers without a cap). Throws BodyTooLargeError
 * over the cap and whatever `formData()` throws for a malformed body.
 */
export async function readLimitedFormData(
  request: Request,
  limitBytes: number,
  opts: ReadOptions = {},
): Promise<FormData> {
  const bytes = await readLimitedBody(request, limitBytes, opts);
  const headers = new Headers();
  const type = request.headers.get('content-type');
  if (type) headers.set('content-type', type);
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers }).formData();
}

/**
 * The same request with its body read (at most `limitBytes`) and held in memory, for handlers
 * that read bodies themselves (tRPC's fetch adapter, next-auth). Throws BodyTooLargeError.
 */
export async function withLimitedBody(request: Request, limitBytes: number, opts: ReadOptions = {}): Promise<Request> {
  if (request.method === 'GET' || request.method === 'HEAD') return request;
  const body = await readLimitedBody(request, limitBytes, opts);
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: body as Uint8Array<ArrayBuffer>,
    signal: request.signal,
  });
}
