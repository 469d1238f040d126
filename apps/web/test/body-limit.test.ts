/**
 * The one capped body reader and the handlers that use it, called with Web Requests whose bodies
 * are ReadableStreams that count what was pulled from them: over the cap the read stops, the
 * answer is a 413 in each route's own error shape, and the stream is cancelled shortly after.
 */
import { withTestDb } from '@bgr/db/test/support';
import { findUserByEmail } from '@bgr/db/queries/users';
import type { Db } from '@bgr/db/client';
import { beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { handleTrpcRequest } from '../src/server/api/http-handler';
import { createTRPCContext } from '../src/server/api/trpc';
import {
  BODY_LIMITS,
  BodyTooLargeError,
  CANCEL_DELAY_MS,
  readLimitedBody,
  readLimitedFormData,
  withLimitedBody,
} from '../src/server/body-limit';
import { handleUpload } from '../src/server/images/upload';
import { LocalStorage } from '../src/server/storage/index';
import { InferenceClient } from '@bgr/inference-client';

const KB = 1024;
const MB = 1024 * KB;

/** A body of `total` bytes in `chunk`-sized pieces, made on demand; counts pulls and a cancel. */
function countingStream(total: number, chunk = 64 * KB, prefix = new Uint8Array(0)) {
  const stats = { pulled: 0, cancelled: false };
  const filler = new Uint8Array(chunk).fill(0x41);
  let sentPrefix = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!sentPrefix && prefix.byteLength > 0) {
          sentPrefix = true;
          stats.pulled += prefix.byteLength;
          controller.enqueue(prefix);
          return;
        }
        if (stats.pulled >= total) {
          controller.close();
          return;
        }
        const n = Math.min(chunk, total - stats.pulled);
        stats.pulled += n;
        controller.enqueue(filler.slice(0, n));
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

function post(url: string, body: ReadableStream<Uint8Array> | string, headers: Record<string, string>): Request {
  return new Request(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
}

describe('readLimitedBody', () => {
  it('returns the whole body, in order, up to exactly the limit', async () => {
    const { stream, stats } = countingStream(300 * KB, 7 * KB);
    const bytes = await readLimitedBody(post('http://x/', stream, {}), 300 * KB);
    expect(bytes.byteLength).toBe(300 * KB);
    expect(bytes.every((b) => b === 0x41)).toBe(true);
    expect(stats.cancelled).toBe(false);
    expect(await readLimitedBody(new Request('http://x/'), 10)).toEqual(new Uint8Array(0));
  });

  it('stops one chunk past the limit and cancels the stream (chunked, no Content-Length)', async () => {
    const { stream, stats } = countingStream(1024 * MB);
    const err = await readLimitedBody(post('http://x/', stream, {}), 1 * MB, { cancelDelayMs: 0 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect((err as BodyTooLargeError).message).toBe('The request body is larger than the 1 MB this address accepts.');
    await vi.waitFor(() => expect(stats.cancelled).toBe(true));
    expect(stats.pulled).toBeLessThanOrEqual(1 * MB + 64 * KB);
  });

  it('by default leaves the rest unread for CANCEL_DELAY_MS (so the 413 goes out first), then cancels', async () => {
    const { stream, stats } = countingStream(1024 * MB);
    const started = Date.now();
    await expect(readLimitedBody(post('http://x/', stream, {}), 1 * MB)).rejects.toBeInstanceOf(BodyTooLargeError);
    const pulled = stats.pulled;
    expect(stats.cancelled).toBe(false);
    await vi.waitFor(() => expect(stats.cancelled).toBe(true), { timeout: CANCEL_DELAY_MS + 2000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(CANCEL_DELAY_MS - 50);
    // Nothing was read while it waited.
    expect(stats.pulled).toBe(pulled);
  });

  it('refuses a declared Content-Length over the limit without reading a byte', async () => {
    const { stream, stats } = countingStream(10 * MB);
    const req = post('http://x/', stream, { 'content-length': String(10 * MB) });
    await expect(readLimitedBody(req, 1 * MB, { cancelDelayMs: 0 })).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(stats.pulled).toBe(0);
    await vi.waitFor(() => expect(stats.cancelled).toBe(true));
  });
});

describe('readLimitedFormData', () => {
  it('parses a multipart body under the cap and refuses one over it', async () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(100 * KB)]), 'a.jpg');
    form.set('url', 'https://example.com/');
    const small = new Request('http://x/', { method: 'POST', body: form });
    const parsed = await readLimitedFormData(small, 1 * MB);
    expect((parsed.get('file') as File).size).toBe(100 * KB);
    expect(parsed.get('url')).toBe('https://example.com/');

    const { stream, stats } = countingStream(
      50 * MB,
      64 * KB,
      new TextEncoder().encode('--b\r\ncontent-disposition: form-data; name="file"; filename="x"\r\n\r\n'),
    );
    const big = post('http://x/', stream, { 'content-type': 'multipart/form-data; boundary=b' });
    await expect(readLimitedFormData(big, 2 * MB, { cancelDelayMs: 0 })).rejects.toBeInstanceOf(BodyTooLargeError);
    await vi.waitFor(() => expect(stats.cancelled).toBe(true));
    expect(stats.pulled).toBeLessThan(3 * MB);
  });
});

describe('route handlers with streamed bodies', () => {
  const t = withTestDb('pglite');
  let db: Db;
  beforeAll(() => {
    db = t.db;
  });

  const trpc = (req: Request) =>
    handleTrpcRequest(req, () => createTRPCContext({ db, headers: req.headers, session: null }));

  it('tRPC: a small sign-up goes through; a 2 MB streamed one is a 413 tRPC error with a sentence, single or batched', async () => {
    const signup = process.env.SIGNUP;
    process.env.SIGNUP = 'open';
    onTestFinished(() => {
      if (signup === undefined) delete process.env.SIGNUP;
      else process.env.SIGNUP = signup;
    });
    const ok = await trpc(
      post(
        'http://x/api/trpc/account.signUp',
        JSON.stringify({ json: { email: 'small@example.com', password: 'long enough password' } }),
        { 'content-type': 'application/json' },
      ),
    );
    expect(ok.status).toBe(200);
    expect(await findUserByEmail(db, 'small@example.com')).toBeTruthy();

    const single = countingStream(
      2 * MB,
      64 * KB,
      new TextEncoder().encode('{"json":{"email":"big@example.com","password":"'),
    );
    const res = await trpc(
      post('http://x/api/trpc/account.signUp', single.stream, { 'content-type': 'application/json' }),
    );
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { json: { message: string; data: { code: string; path: string } } } };
    expect(body.error.json.message).toBe(`The request body is larger than the 1 MB this address accepts.`);
    expect(body.error.json.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', path: 'account.signUp' });
    expect(single.stats.pulled).toBeLessThanOrEqual(BODY_LIMITS.trpc + 64 * KB);
    await vi.waitFor(() => expect(single.stats.cancelled).toBe(true), { timeout: CANCEL_DELAY_MS + 2000 });
    expect(await findUserByEmail(db, 'big@example.com')).toBeFalsy();

    const batch = countingStream(
      2 * MB,
      64 * KB,
      new TextEncoder().encode('{"0":{"json":{"email":"b@example.com","password":"'),
    );
    const batched = await trpc(
      post('http://x/api/trpc/account.signUp?batch=1', batch.stream, { 'content-type': 'application/json' }),
    );
    expect(batched.status).toBe(413);
    const items = (await batched.json()) as Array<{ error: { json: { data: { code: string } } } }>;
    expect(items[0]!.error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('/api/images: a 30 MB streamed multipart body is refused with 413 after at most the cap', async () => {
    const deps = {
      db,
      storage: new LocalStorage('/nonexistent-never-written'),
      inference: new InferenceClient({ urls: ['http://127.0.0.1:9'], secret: 'unused' }),
      currentUser: async () => ({ id: '00000000-0000-0000-0000-000000000000' }),
    };
    const { stream, stats } = countingStream(
      30 * MB,
      64 * KB,
      new TextEncoder().encode('--b\r\ncontent-disposition: form-data; name="file"; filename="x.jpg"\r\n\r\n'),
    );
    const res = await handleUpload(
      post('http://x/api/images', stream, { 'content-type': 'multipart/form-data; boundary=b' }),
      deps,
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: 'file_too_large', message: 'That file is larger than 22 MB. Please choose a smaller image.' },
    });
    expect(stats.pulled).toBeLessThanOrEqual(BODY_LIMITS.upload + 64 * KB);
    await vi.waitFor(() => expect(stats.cancelled).toBe(true), { timeout: CANCEL_DELAY_MS + 2000 });

    const anonymous = countingStream(30 * MB);
    const refused = await handleUpload(
      post('http://x/api/images', anonymous.stream, { 'content-type': 'multipart/form-data; boundary=b' }),
      { ...deps, currentUser: async () => null },
    );
    expect(refused.status).toBe(401);
    expect(anonymous.stats.pulled).toBe(0);
  });
});

describe('withLimitedBody', () => {
  it('hands on the same request with its body in memory, or refuses it past the cap', async () => {
    const form = new URLSearchParams({ csrfToken: 'abc', email: 'a@example.com' }).toString();
    const small = await withLimitedBody(
      post('http://x/api/auth/callback/credentials?x=1', form, { 'content-type': 'application/x-www-form-urlencoded' }),
      BODY_LIMITS.auth,
    );
    expect([small.method, small.url, small.headers.get('content-type')]).toEqual([
      'POST',
      'http://x/api/auth/callback/credentials?x=1',
      'application/x-www-form-urlencoded',
    ]);
    expect(Object.fromEntries(new URLSearchParams(await small.text()))).toEqual({
      csrfToken: 'abc',
      email: 'a@example.com',
    });

    const { stream, stats } = countingStream(10 * MB);
    await expect(
      withLimitedBody(
        post('http://x/api/auth/callback/credentials', stream, { 'content-type': 'application/x-www-form-urlencoded' }),
        BODY_LIMITS.auth,
        { cancelDelayMs: 0 },
      ),
    ).rejects.toBeInstanceOf(BodyTooLargeError);
    await vi.waitFor(() => expect(stats.cancelled).toBe(true));
    expect(stats.pulled).toBeLessThanOrEqual(BODY_LIMITS.auth + 64 * KB);

    const get = new Request('http://x/api/auth/session');
    expect(await withLimitedBody(get, BODY_LIMITS.auth)).toBe(get);
  });
});
