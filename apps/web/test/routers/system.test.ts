/**
 * The admin System page's read (system.overview) on both engines, with two inference "replicas"
 * on loopback — one answering /readyz and /v1/stats, one not listening — a storage folder, the
 * heartbeat rows of two web replicas (one silent for two minutes), scheduler runs and a hold
 * left open for ten minutes. Ordinary users are refused (access.test.ts walks every admin
 * procedure; this checks the one here by name too). Then INFERENCE_URLS by DNS: a client with two
 * dns+ entries — a name whose lookup gives two loopback addresses, and a .invalid one that never
 * resolves (the system resolver) — shows each name's address count, lookup time and error sentence.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withTestDb, type TestDbKind } from '@bgr/db/test/support';
import { grant, reserve } from '@bgr/db/queries/ledger';
import { heartbeat } from '@bgr/db/queries/operations';
import { claimSchedulerTick } from '@bgr/db/queries/scheduler';
import { createUser } from '@bgr/db/queries/users';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '~/env';
import { CountedInferenceClient } from '~/server/status/render-outcomes';
import { callerFor } from '../support/context';

const SECRET = 'system-test-secret';
const storageDir = mkdtempSync(path.join(tmpdir(), 'bgr-system-'));
let stand: http.Server;
let liveUrl = '';
const deadUrl = 'http://127.0.0.1:9';
const stats = {
  ready: true,
  model: 'medium',
  provider: 'cuda',
  threads: 4,
  concurrency: 2,
  inFlight: 1,
  queued: 3,
  modelRuns: 10,
  startedAt: new Date().toISOString(),
  renders: { windowMinutes: 60, count: 9, p50Ms: 800, p95Ms: 2100 },
  lastError: { code: 'timeout', status: 504, detail: 'The image took too long.', at: new Date().toISOString() },
};

beforeAll(async () => {
  stand = http.createServer((req, res) => {
    if (req.url === '/readyz') return void res.end('{"ready":true}');
    if (req.url === '/v1/stats' && req.headers['x-inference-secret'] === SECRET)
      return void res.end(JSON.stringify(stats));
    res.writeHead(401).end();
  });
  await new Promise<void>((r) => stand.listen(0, '127.0.0.1', () => r()));
  liveUrl = `http://127.0.0.1:${(stand.address() as AddressInfo).port}`;
  process.env.STORAGE_DIR = storageDir;
  process.env.INFERENCE_URLS = `${liveUrl},${deadUrl}`;
  process.env.INFERENCE_SECRET = SECRET;
});
afterAll(async () => {
  await new Promise<void>((r) => stand.close(() => r()));
  rmSync(storageDir, { recursive: true, force: true });
});

describe.each(['pglite', 'postgres'] as TestDbKind[])('system.overview on %s', (kind) => {
  const t = withTestDb(kind);

  it('shows replicas, backends, web heartbeats, the scheduler and stale holds to an admin only', async () => {
    const admin = await createUser(t.db, {
      email: 'ops@example.com',
      password: 'correct horse battery',
      role: 'admin',
    });
    const user = await createUser(t.db, { email: 'pat@example.com', password: 'correct horse battery' });
    const now = Date.now();
    await heartbeat(t.db, { replicaId: 'w1', host: 'web-a:11', version: 'v9', startedAt: new Date(now - 600_000) });
    await heartbeat(t.db, {
      replicaId: 'w2',
      host: 'web-b:12',
      version: 'v8',
      startedAt: new Date(now - 900_000),
      now: new Date(now - 120_000),
    });
    await claimSchedulerTick(t.db, { job: 'processDue', tick: 1, runner: 'web-a:11', now: new Date(now - 30_000) });
    await grant(t.db, { userId: user.id, units: 8, kind: 'promo', now: new Date(now - 1_200_000) });
    expect((await reserve(t.db, { userId: user.id, units: 4, key: 'old', now: new Date(now - 600_000) })).ok).toBe(
      true,
    );
    expect((await reserve(t.db, { userId: user.id, units: 4, key: 'new' })).ok).toBe(true);

    await expect((await callerFor(t.db, user)).system.overview()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const o = await (await callerFor(t.db, admin)).system.overview();

    expect(o.status).toMatchObject({
      status: 'degraded',
      components: { database: 'up', storage: 'up', inference: { ready: 1, total: 2 } },
    });
    expect(o.inference).toHaveLength(2);
    expect(o.inference[0]).toMatchObject({ url: liveUrl, state: 'ready', stats, statsError: null });
    expect(o.inference[1]).toMatchObject({ url: deadUrl, state: 'down', stats: null });
    expect(o.inference[1]!.statsError).toMatch(/could not be reached/);
    expect(o.discovery).toEqual([]);
    expect(o.database.up).toBe(true);
    expect(o.storage.up).toBe(true);
    expect(o.web.map((w) => [w.replicaId, w.host, w.version])).toEqual([['w1', 'web-a:11', 'v9']]);
    expect(o.scheduler).toEqual([{ job: 'processDue', runner: 'web-a:11', startedAt: new Date(now - 30_000) }]);
    expect(o.holds.count).toBe(1);
    expect(o.holds.oldest.map((h) => [h.key, h.userEmail, h.units])).toEqual([['old', 'pat@example.com', 4]]);
    expect(o.unavailable).toBeNull();
  });
});

/** Where server/inference.ts keeps the process's one client (getInference). */
const CLIENT_KEY = Symbol.for('bgr.web.inferenceClient');
type WithClient = typeof globalThis & { [CLIENT_KEY]?: CountedInferenceClient };

describe('system.overview with INFERENCE_URLS discovered by DNS', () => {
  const PODS = 'bgr-inference-pods';
  const UNRESOLVABLE = 'no-such-host.invalid';
  const g = globalThis as WithClient;
  const warnings: string[] = [];
  let previous: CountedInferenceClient | undefined;
  const t = withTestDb('pglite');
  let port = 0;

  beforeAll(async () => {
    port = (stand.address() as AddressInfo).port;
    previous = g[CLIENT_KEY];
    // The web app's client, as getInference builds it, with dns+ entries: PODS answers with the stand-in's
    // address and a second loopback one where nothing listens; any other name goes to the system resolver.
    g[CLIENT_KEY] = new CountedInferenceClient({
      ...env().inference,
      urls: [`dns+http://${PODS}:${port}`, `dns+http://${UNRESOLVABLE}:1`],
      lookup: async (name) =>
        name === PODS ? ['127.0.0.1', '127.0.0.2'] : (await dnsLookup(name, { all: true })).map((a) => a.address),
      warn: (message) => warnings.push(message),
    });
  });
  afterAll(async () => {
    g[CLIENT_KEY]?.close();
    g[CLIENT_KEY] = previous;
  });

  it("shows each dns+ name's address count, last lookup and lookup error", async () => {
    const admin = await createUser(t.db, {
      email: 'dns@example.com',
      password: 'correct horse battery',
      role: 'admin',
    });
    const before = Date.now();
    const o = await (await callerFor(t.db, admin)).system.overview();
    const after = Date.now();

    expect(o.discovery).toEqual([
      {
        url: `dns+http://${PODS}:${port}`,
        name: PODS,
        addresses: 2,
        lookedUpAt: expect.any(Date),
        error: null,
      },
      {
        url: `dns+http://${UNRESOLVABLE}:1`,
        name: UNRESOLVABLE,
        addresses: 0,
        lookedUpAt: expect.any(Date),
        error: expect.stringMatching(
          /^The lookup of no-such-host\.invalid failed \(.+\); keeping its 0 replica\(s\)\.$/,
        ),
      },
    ]);
    for (const d of o.discovery) {
      expect(d.lookedUpAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(d.lookedUpAt!.getTime()).toBeLessThanOrEqual(after);
    }
    expect(o.inference.map((r) => [r.url, r.state])).toEqual([
      [`http://127.0.0.1:${port}`, 'ready'],
      [`http://127.0.0.2:${port}`, 'down'],
    ]);
    expect(o.status.components.inference).toEqual({ ready: 1, total: 2 });
    expect(warnings).toEqual([expect.stringContaining(`The lookup of ${UNRESOLVABLE} failed`)]);
  });
});
