/**
 * One request, followed through both services' logs, and counted: a remove.bg call with a
 * client's X-Request-Id goes to a real web server process (test/logging/serve.ts: the request log
 * installed as instrumentation.ts installs it, the production handlers and inference client) and
 * on to a real inference service process (IS-Net), on a fresh PostgreSQL database. Both processes'
 * stdout is captured: each writes a JSON line carrying the same id, and both echo it. The web
 * server's /metrics refuses a scrape without METRICS_TOKEN and counts the call.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '@bgr/db/queries/api-keys';
import { grant } from '@bgr/db/queries/ledger';
import { createUser } from '@bgr/db/queries/users';
import { withTestDb } from '@bgr/db/test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto } from '../api/support/world';
import { type InferenceService, startInferenceService } from '../support/inference-service';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = `metrics-${Math.random().toString(36).slice(2)}`;
const storageDir = mkdtempSync(path.join(tmpdir(), 'bgr-request-id-'));

let inference: InferenceService;
let web: ChildProcess;
let webOut = '';
let base = '';
let apiKey = '';
let userId = '';
const t = withTestDb('postgres');

beforeAll(async () => {
  const user = await createUser(t.db, { email: `request-id-${Date.now()}@example.com` });
  userId = user.id;
  await grant(t.db, { userId: user.id, units: 40, kind: 'promo' });
  apiKey = (await createApiKey(t.db, { userId: user.id, name: 'request id' })).key;
  inference = await startInferenceService({ env: { LOG_LEVEL: 'info' } });
  web = spawn(process.execPath, ['--import', 'tsx', 'test/logging/serve.ts'], {
    cwd: webRoot,
    env: {
      ...process.env,
      DATABASE_URL: t.url!,
      STORAGE_DIR: storageDir,
      INFERENCE_URLS: inference.url,
      INFERENCE_SECRET: inference.secret,
      METRICS_TOKEN: TOKEN,
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  web.stdout!.on('data', (d: Buffer) => {
    webOut += d.toString();
  });
  let errOut = '';
  base = await new Promise<string>((resolve, reject) => {
    web.stderr!.on('data', (d: Buffer) => {
      errOut += d.toString();
      const m = /READY (\d+)/.exec(errOut);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    web.once('exit', (code) => reject(new Error(`The web server exited (${code}): ${errOut}`)));
  });
}, 240_000);

afterAll(async () => {
  web?.kill('SIGKILL');
  await inference?.stop();
  rmSync(storageDir, { recursive: true, force: true });
});

type Line = Record<string, unknown>;

function jsonLines(text: string): Line[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
}

/** The lines of `source()` matching, waiting briefly for them to be written. */
async function linesFor(source: () => string, match: (l: Line) => boolean, atLeast = 1): Promise<Line[]> {
  for (let i = 0; i < 100; i++) {
    const found = jsonLines(source()).filter(match);
    if (found.length >= atLeast) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`No matching log line in:\n${source().slice(-4000)}`);
}

async function preview(headers: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.set('image_file', new Blob([new Uint8Array(await makePhoto(96, 72))], { type: 'image/jpeg' }), 'photo.jpg');
  form.set('size', 'preview');
  return fetch(`${base}/v1.0/removebg`, { method: 'POST', body: form, headers: { 'X-Api-Key': apiKey, ...headers } });
}

async function scrape(): Promise<string> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('a request id across the web app and the inference service', () => {
  it("carries the client's X-Request-Id into both services' log lines and echoes it", async () => {
    const id = `trace-${Date.now()}.a_b`;
    const res = await preview({ 'X-Request-Id': id });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(id);
    await res.arrayBuffer();

    const [webLine] = await linesFor(
      () => webOut,
      (l) => l.reqId === id,
    );
    expect(webLine).toMatchObject({
      level: 'info',
      service: 'web',
      msg: 'request',
      method: 'POST',
      path: '/v1.0/removebg',
      status: 200,
      userId,
      outcome: 'ok',
    });
    expect(typeof webLine!.ms).toBe('number');
    expect(JSON.stringify(webLine)).not.toContain(apiKey);

    // The API call probes the image, then renders it: two inference requests under the same id.
    const infLines = await linesFor(
      () => inference.stdout!(),
      (l) => l.reqId === id,
      2,
    );
    expect(infLines.map((l) => l.path).sort()).toEqual(['/v1/probe', '/v1/render']);
    for (const l of infLines) expect(l).toMatchObject({ service: 'inference', status: 200, outcome: 'ok' });
    expect(inference.stdout!()).not.toContain(inference.secret);
  });

  it('gives a request without a usable id a new one, the same in both logs; refusals log their code', async () => {
    const res = await preview({ 'X-Request-Id': 'not a safe id!' });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await linesFor(
      () => webOut,
      (l) => l.reqId === id && l.status === 200,
    );
    await linesFor(
      () => inference.stdout!(),
      (l) => l.reqId === id,
      2,
    );

    const refused = await fetch(`${base}/v1.0/account`, {
      headers: { 'X-Api-Key': 'wrong', 'X-Request-Id': 'refused-1' },
    });
    expect(refused.status).toBe(403);
    const [line] = await linesFor(
      () => webOut,
      (l) => l.reqId === 'refused-1',
    );
    expect(line).toMatchObject({ status: 403, outcome: 'auth_failed' });
    expect(line).not.toHaveProperty('userId');
  });
});

describe('the web /metrics', () => {
  it('refuses a scrape without the bearer token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }] as Record<
      string,
      string
    >[]) {
      const res = await fetch(`${base}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('bgr_');
    }
  });

  it('counts a real API call: bgr_api_requests_total, the call, its hold, its credits and its inference calls', async () => {
    const before = await scrape();
    const res = await preview();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-credits-charged')).toBe('0.25');
    await res.arrayBuffer();
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('bgr_api_requests_total{route="/v1.0/removebg",status="200"}')).toBe(1);
    expect(delta('bgr_api_calls_total{size="preview",outcome="ok"}')).toBe(1);
    expect(delta('bgr_holds_total{event="opened",kind="api"}')).toBe(1);
    expect(delta('bgr_holds_total{event="captured",kind="api"}')).toBe(1);
    expect(delta('bgr_credits_charged_units_total{channel="api"}')).toBe(1); // a quarter credit
    expect(delta(`bgr_inference_calls_total{replica="${inference.url}",endpoint="render",outcome="ok"}`)).toBe(1);
    expect(delta(`bgr_inference_call_duration_seconds_count{replica="${inference.url}",endpoint="render"}`)).toBe(1);
    expect(delta('bgr_http_requests_total{route="/v1.0/removebg",method="POST",status="200"}')).toBe(1);
  });
});
