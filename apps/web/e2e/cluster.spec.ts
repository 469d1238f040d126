/**
 * The scaled-out product on loopback, started the way a deployer does: `npm run -s migrate`, three
 * `npm run -s start:inference` and two `npm run -s start:web` on one PostgreSQL database and one
 * S3-protocol store (s3rver). 60 mixed calls (API preview, API full, web upload → preview → HD)
 * spread over both web replicas by a small readiness-aware balancer in the test; mid-run one
 * inference replica is SIGKILLed with renders in flight and another started, and one web replica is
 * restarted (SIGTERM, drain, start again). Every call answers 200, the charges equal the successes,
 * reconcile is clean, an image uploaded through web A is served by web B, the scheduler ran once
 * per tick. The failover numbers go to test-results/cluster-failover.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { databaseUrl, psql, replicaParts, results, serverPid, waitReady } from './support/replicas';
import { E2E } from './support/stack';

const root = E2E.repoRoot;
const tsx = path.join(root, 'node_modules/.bin/tsx');
const helper = path.join(root, 'apps/web/e2e/support/cluster-helper.ts');
const dbName = `bgr_cluster_${process.pid}`;
const DATABASE_URL = databaseUrl(dbName);
const WEB_PORTS = { a: 3511, b: 3512 } as const;
const INFERENCE_PORTS = [3521, 3522, 3523, 3524]; // the fourth starts when the first is killed
const USER = { email: 'cluster@e2e.test', password: 'cluster-password-e2e', units: 400 };
const PRICE = { apiPreview: 1, apiFull: 4, webHd: 4 }; // units (¼ credit)

test.setTimeout(600_000);

const { start: startPart, stopAll } = replicaParts('cluster');

function helperJson(mode: string, env: Record<string, string>) {
  const res = spawnSync(tsx, [helper, mode], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`cluster-helper ${mode} failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!);
}

/** Given to every part: /metrics answers only with it. */
const METRICS_TOKEN = 'cluster-metrics-token';

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${name} `))
      ?.split(' ')
      .pop(),
  );
}

/** A small photo; `seed` changes its pixels, so each web flow is a new image (its own HD charge). */
function photo(seed: number): Promise<Buffer> {
  const hue = (seed * 37) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="150">
    <rect width="100%" height="100%" fill="hsl(${hue},40%,85%)"/>
    <circle cx="100" cy="60" r="26" fill="#c98b6b"/><rect x="70" y="80" width="60" height="60" rx="14" fill="#2b3f73"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

test('two web and three inference replicas: failover, restart, one charge per success', async () => {
  mkdirSync(results, { recursive: true });
  const started = Date.now();
  psql(`drop database if exists "${dbName}" with (force)`);
  psql(`create database "${dbName}"`);
  const s3 = spawn(tsx, [helper, 's3'], { cwd: root, env: process.env });
  try {
    const s3env: Record<string, string> = await new Promise((resolve, reject) => {
      let out = '';
      s3.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!).env);
      });
      s3.once('exit', (code) => reject(new Error(`s3rver exited (${code}).`)));
    });

    // migrate, once, as its own step; then seed a user (password, credits, API key).
    const migrate = startPart('migrate', 'migrate', { DATABASE_URL });
    expect(await migrate.exited).toBe(0);
    const seed = helperJson('seed', {
      DATABASE_URL,
      SEED_EMAIL: USER.email,
      SEED_PASSWORD: USER.password,
      SEED_UNITS: String(USER.units),
    });

    // Generous per-render limits (service and client): a shared 2-core machine can be slow; the
    // test's own time limit is what bounds the run.
    const secrets = {
      INFERENCE_SECRET: 'cluster-inference-secret',
      NEXTAUTH_SECRET: 'cluster-nextauth-secret',
      INFERENCE_TIMEOUT_MS: '600000',
      METRICS_TOKEN,
    };
    const inferenceEnv = (port: number) => ({
      ...secrets,
      INFERENCE_PORT: String(port),
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_THREADS: '1',
      INFERENCE_DEVICE: 'cpu',
      INFERENCE_SKIP_MODEL_HASH: '1',
    });
    const inference = INFERENCE_PORTS.slice(0, 3).map((port, i) =>
      startPart(`inference-${i + 1}`, 'start:inference', inferenceEnv(port)),
    );
    const webEnv = (port: number) => ({
      ...secrets,
      ...s3env,
      DATABASE_URL,
      INFERENCE_URLS: INFERENCE_PORTS.map((p) => `http://127.0.0.1:${p}`).join(','),
      PORT: String(port),
      HOST: '127.0.0.1',
      NEXT_DIST_DIR: E2E.distDir,
    });
    const web = {
      a: startPart('web-a', 'start:web', webEnv(WEB_PORTS.a)),
      b: startPart('web-b', 'start:web', webEnv(WEB_PORTS.b)),
    };
    await Promise.all([
      ...INFERENCE_PORTS.slice(0, 3).map((p) => waitReady(`http://127.0.0.1:${p}`, 240_000)),
      waitReady(`http://127.0.0.1:${WEB_PORTS.a}`, 120_000),
      waitReady(`http://127.0.0.1:${WEB_PORTS.b}`, 120_000),
    ]);
    const upAt = Date.now();

    // Sign in once (on A); the session is a JWT both replicas accept.
    const base = { a: `http://127.0.0.1:${WEB_PORTS.a}`, b: `http://127.0.0.1:${WEB_PORTS.b}` };
    const csrf = await fetch(`${base.a}/api/auth/csrf`);
    const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await fetch(`${base.a}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie.join('; ') },
      body: new URLSearchParams({ csrfToken, email: USER.email, password: USER.password, json: 'true' }),
    });
    const cookie = [...csrfCookie, ...signIn.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
    expect(cookie).toContain('next-auth.session-token=');

    // A balancer like a load balancer's: only replicas marked up get new calls, in turn.
    const up = { a: true, b: true };
    let turn = 0;
    const pickWeb = (): 'a' | 'b' => {
      const order: ('a' | 'b')[] = turn++ % 2 ? ['a', 'b'] : ['b', 'a'];
      return order.find((w) => up[w]) ?? 'b';
    };

    type Kind = 'api-preview' | 'api-full' | 'web';
    type Call = { i: number; kind: Kind; web: 'a' | 'b'; status: number; start: number; end: number; note?: string };
    const kinds: Kind[] = Array.from({ length: 60 }, (_, i) => (['api-preview', 'api-full', 'web'] as const)[i % 3]!);
    const apiPhotos = [await photo(1000), await photo(1001)];
    const calls: Call[] = [];
    const uploadedOn: { id: string; web: 'a' | 'b'; bytes: Buffer }[] = [];

    async function runCall(i: number, kind: Kind): Promise<Call> {
      const w = pickWeb();
      const call: Call = { i, kind, web: w, status: 0, start: Date.now(), end: 0 };
      try {
        if (kind !== 'web') {
          const form = new FormData();
          form.set('image_file', new Blob([new Uint8Array(apiPhotos[i % 2]!)], { type: 'image/jpeg' }), 'photo.jpg');
          form.set('size', kind === 'api-preview' ? 'preview' : 'full');
          const res = await fetch(`${base[w]}/v1.0/removebg`, {
            method: 'POST',
            headers: { 'x-api-key': seed.apiKey },
            body: form,
          });
          call.status = res.status;
          if (!res.ok) call.note = await res.text();
          else await res.arrayBuffer();
        } else {
          const bytes = await photo(i);
          const form = new FormData();
          form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), `photo-${i}.jpg`);
          // Each request goes through the balancer on its own, as behind a load balancer.
          const upload = await fetch(`${base[w]}/api/images`, { method: 'POST', headers: { cookie }, body: form });
          if (upload.status !== 201) throw new Error(`upload ${upload.status}: ${await upload.text()}`);
          const { image } = (await upload.json()) as { image: { id: string } };
          uploadedOn.push({ id: image.id, web: w, bytes });
          const preview = await fetch(`${base[pickWeb()]}/api/images/${image.id}/preview`, { headers: { cookie } });
          if (preview.status !== 200) throw new Error(`preview ${preview.status}: ${await preview.text()}`);
          await preview.arrayBuffer();
          const buy = await fetch(`${base[pickWeb()]}/api/trpc/images.hd`, {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json' },
            body: JSON.stringify({ json: { id: image.id, format: 'png' } }),
          });
          if (buy.status !== 200) throw new Error(`hd ${buy.status}: ${await buy.text()}`);
          await buy.arrayBuffer();
          const hd = await fetch(`${base[pickWeb()]}/api/images/${image.id}/hd?format=png`, { headers: { cookie } });
          call.status = hd.status;
          if (!hd.ok) call.note = await hd.text();
          else await hd.arrayBuffer();
        }
      } catch (err) {
        call.note = err instanceof Error ? err.message : String(err);
      }
      call.end = Date.now();
      return call;
    }

    // Mid-run events, driven by progress.
    let killedAt = 0;
    let inFlightAtKill = 0;
    // Its failure is held until the calls are done, so the clean-up below always runs.
    const events = (async () => {
      while (calls.length < 12) await new Promise((r) => setTimeout(r, 100));
      const victim = `http://127.0.0.1:${INFERENCE_PORTS[0]}`;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await metric(victim, 'inference_in_flight')) < 1)
        await new Promise((r) => setTimeout(r, 50));
      inFlightAtKill = await metric(victim, 'inference_in_flight');
      killedAt = Date.now();
      process.kill(serverPid(inference[0]!), 'SIGKILL'); // the service itself, as a crash would
      startPart('inference-4', 'start:inference', inferenceEnv(INFERENCE_PORTS[3]!));

      while (calls.length < 30) await new Promise((r) => setTimeout(r, 100));
      up.a = false; // the balancer stops sending new calls first, as a readiness probe would
      web.a.child.kill('SIGTERM');
      // npm passes the signal on: within moments /readyz says 503 (or the replica is already gone).
      let readyz = 200;
      for (const until = Date.now() + 10_000; readyz === 200 && Date.now() < until; ) {
        readyz = await fetch(`${base.a}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
        if (readyz === 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect([503, 0]).toContain(readyz); // 503 while draining (0: already gone)
      expect(await web.a.exited).toBe(0);
      web.a = startPart('web-a2', 'start:web', webEnv(WEB_PORTS.a));
      await waitReady(base.a, 120_000);
      up.a = true;
    })().then(
      () => null,
      (err: unknown) => err,
    );

    let next = 0;
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        while (next < kinds.length) {
          const i = next++;
          calls.push(await runCall(i, kinds[i]!));
        }
      }),
    );
    const eventsFailed = await events;
    if (eventsFailed) throw eventsFailed;
    const doneAt = Date.now();

    const failed = calls.filter((c) => c.status !== 200);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(calls.filter((c) => c.web === 'a').length).toBeGreaterThan(10);
    expect(calls.filter((c) => c.web === 'b').length).toBeGreaterThan(10);

    // Uploaded through A, served by B (shared database and store).
    const fromA = uploadedOn.find((u) => u.web === 'a')!;
    const original = await fetch(`${base.b}/api/images/${fromA.id}/original`, { headers: { cookie } });
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(fromA.bytes)).toBe(true);

    // Charges equal successes; the ledger reconciles; the scheduler ran once per tick.
    const count = (k: Kind) => calls.filter((c) => c.kind === k && c.status === 200).length;
    const expectedUnits =
      count('api-preview') * PRICE.apiPreview + count('api-full') * PRICE.apiFull + count('web') * PRICE.webHd;
    const check = helperJson('check', { DATABASE_URL, CHECK_USER_ID: seed.userId });
    const captured = (check.holds as { status: string; units: number }[]).filter((h) => h.status === 'captured');
    expect(captured.length).toBe(60);
    expect(captured.reduce((n, h) => n + h.units, 0)).toBe(expectedUnits);
    expect(check.balance.totalUnits).toBe(USER.units - expectedUnits);
    expect(check.balance.heldUnits).toBe(0);
    expect(check.reconcile.ok).toBe(true);
    const runs = (check.schedulerRuns as { job: string; tick: number; runner: string }[]).filter(
      (r) => r.job === 'processDue',
    );
    expect(runs.length).toBeGreaterThan(0);
    expect(new Set(runs.map((r) => r.tick)).size).toBe(runs.length); // one run per tick
    const runners = new Set(runs.map((r) => r.runner));

    // The failover numbers.
    const atKill = calls.filter((c) => c.start <= killedAt && c.end >= killedAt);
    const others = calls.filter((c) => !(c.start <= killedAt && c.end >= killedAt)).map((c) => c.end - c.start);
    const median = others.sort((x, y) => x - y)[Math.floor(others.length / 2)] ?? 0;
    const report = {
      seconds: { total: Math.round((doneAt - started) / 1000), calls: Math.round((doneAt - upAt) / 1000) },
      renders_in_flight_on_killed_replica: inFlightAtKill,
      calls_in_flight_at_kill: atKill.length,
      calls_in_flight_at_kill_succeeded: atKill.filter((c) => c.status === 200).length,
      median_call_ms: median,
      mean_call_ms_in_flight_at_kill: Math.round(
        atKill.reduce((n, c) => n + c.end - c.start, 0) / (atKill.length || 1),
      ),
      calls_per_web: { a: calls.filter((c) => c.web === 'a').length, b: calls.filter((c) => c.web === 'b').length },
      process_due_ticks: runs.length,
      process_due_runners: runners.size,
    };
    writeFileSync(path.join(results, 'cluster-failover.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`cluster: ${JSON.stringify(report)}`);
  } finally {
    await stopAll();
    s3.kill('SIGTERM');
    psql(`drop database if exists "${dbName}" with (force)`);
  }
});
