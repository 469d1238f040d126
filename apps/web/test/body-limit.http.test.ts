/**
 * Bodies are capped while they stream: a 1.5 GB chunked body (generated on the fly, never held
 * by this test) to the public tRPC sign-up, to /api/images and to /v1.0/removebg is refused with
 * 413 in seconds, and the server process's resident memory (read from /proc/<pid>/status) grows
 * by less than 100 MB. The server is a real separate process (test/body-limit/serve.ts) on a
 * fresh PostgreSQL database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { withTestDb } from '@bgr/db/test/support';
import { createApiKey } from '@bgr/db/queries/api-keys';
import { grant } from '@bgr/db/queries/ledger';
import { createUser } from '@bgr/db/queries/users';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMITS } from '../src/server/body-limit';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GB = 1024 * 1024 * 1024;
const MB = 1024 * 1024;

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line!.replace(/\D+/g, '')) * 1024;
}

/** `prefix`, then filler bytes up to `total` bytes, made chunk by chunk as the socket drains. */
function generatedBody(prefix: string, total: number, counter: { sent: number }): Readable {
  const filler = Buffer.alloc(64 * 1024, 'A');
  let first = true;
  return new Readable({
    read() {
      if (first) {
        first = false;
        counter.sent += prefix.length;
        this.push(Buffer.from(prefix));
        return;
      }
      if (counter.sent >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(filler.length, total - counter.sent);
      counter.sent += n;
      this.push(n === filler.length ? filler : filler.subarray(0, n));
    },
  });
}

interface Outcome {
  status: number;
  body: string;
  ms: number;
  sentBytes: number;
  rssGrowth: number;
}

/** Sends a chunked body (no Content-Length) and samples the server's RSS until the answer is in. */
async function sendHuge(
  port: number,
  pid: number,
  opts: { path: string; headers: Record<string, string>; prefix: string; total?: number },
): Promise<Outcome> {
  const counter = { sent: 0 };
  const baseline = rssBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      /* the process is gone: the request below fails */
    }
  }, 20);
  const started = Date.now();
  try {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: opts.path, headers: opts.headers });
      const source = generatedBody(opts.prefix, opts.total ?? 1.5 * GB, counter);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          source.destroy();
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      source.pipe(req);
    });
    peak = Math.max(peak, rssBytes(pid));
    return { status, body, ms: Date.now() - started, sentBytes: counter.sent, rssGrowth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

let child: ChildProcess;
let port = 0;
let apiKey = '';
const t = withTestDb('postgres');
const storageDir = mkdtempSync(path.join(tmpdir(), 'bgr-body-limit-'));

beforeAll(async () => {
  const user = await createUser(t.db, {
    email: `body-limit-${Date.now()}@example.com`,
    password: 'correct horse battery',
  });
  await grant(t.db, { userId: user.id, units: 40, kind: 'promo' });
  apiKey = (await createApiKey(t.db, { userId: user.id, name: 'body limit' })).key;

  child = spawn(process.execPath, ['--import', 'tsx', 'test/body-limit/serve.ts'], {
    cwd: webRoot,
    env: {
      ...process.env,
      DATABASE_URL: t.url!,
      STORAGE_DIR: storageDir,
      // Never reached: every request here is refused before any image work.
      INFERENCE_URLS: 'http://127.0.0.1:9',
      INFERENCE_SECRET: 'unused',
      SIGNUP: 'open',
      BODY_TEST_USER_ID: user.id,
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`The test server exited (${code}): ${stderr}`)));
  });

  // Warm every route (module loading, database pool) so the measurements below see only the body.
  const base = `http://127.0.0.1:${port}`;
  await fetch(`${base}/api/trpc/account.signUp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"json":{"email":"x"}}',
  });
  await fetch(`${base}/api/images`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  await fetch(`${base}/v1.0/removebg`, {
    method: 'POST',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: '{}',
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(storageDir, { recursive: true, force: true });
});

describe('a 1.5 GB chunked body', () => {
  it('to the public tRPC account.signUp: 413 PAYLOAD_TOO_LARGE with a sentence, memory flat', async () => {
    const out = await sendHuge(port, child.pid!, {
      path: '/api/trpc/account.signUp',
      headers: { 'content-type': 'application/json' },
      prefix: '{"json":{"email":"big@example.com","password":"',
    });
    expect(out.status).toBe(413);
    const body = JSON.parse(out.body) as {
      error: { json: { message: string; data: { code: string; httpStatus: number } } };
    };
    expect(body.error.json.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect(body.error.json.message).toBe('The request body is larger than the 1 MB this address accepts.');
    expect(out.ms).toBeLessThan(10_000);
    expect(out.rssGrowth).toBeLessThan(100 * MB);
    // The rest was never read: what went out is the cap plus socket buffers, not the 1.5 GB.
    expect(out.sentBytes).toBeLessThan(BODY_LIMITS.trpc + 64 * MB);
  });

  it('to /api/images (multipart): 413 file_too_large with a sentence, memory flat', async () => {
    const boundary = 'bgrboundary';
    const out = await sendHuge(port, child.pid!, {
      path: '/api/images',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      prefix: `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`,
    });
    expect(out.status).toBe(413);
    expect(JSON.parse(out.body)).toEqual({
      error: { code: 'file_too_large', message: 'That file is larger than 22 MB. Please choose a smaller image.' },
    });
    expect(out.ms).toBeLessThan(10_000);
    expect(out.rssGrowth).toBeLessThan(100 * MB);
    expect(out.sentBytes).toBeLessThan(BODY_LIMITS.upload + 64 * MB);
  });

  it('to /v1.0/removebg (base64 JSON): 413 with the remove.bg body file_too_large, memory flat', async () => {
    const out = await sendHuge(port, child.pid!, {
      path: '/v1.0/removebg',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      prefix: '{"size":"preview","image_file_b64":"',
    });
    expect(out.status).toBe(413);
    const body = JSON.parse(out.body) as { errors: Array<{ code: string; title: string; detail: string }> };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.code).toBe('file_too_large');
    expect(body.errors[0]!.detail).toBe('The request body is larger than the 33 MB this address accepts.');
    expect(out.ms).toBeLessThan(10_000);
    expect(out.rssGrowth).toBeLessThan(100 * MB);
    expect(out.sentBytes).toBeLessThan(BODY_LIMITS.removebg + 64 * MB);
  });

  it('to /v1.0/improve: refused at 23 MB, not at the removebg cap', async () => {
    const out = await sendHuge(port, child.pid!, {
      path: '/v1.0/improve',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      prefix: '{"image_file_b64":"',
      total: 30 * MB,
    });
    expect(out.status).toBe(413);
    const body = JSON.parse(out.body) as { errors: Array<{ code: string; detail: string }> };
    expect(body.errors[0]).toMatchObject({
      code: 'file_too_large',
      detail: 'The request body is larger than the 23 MB this address accepts.',
    });
  });
});
