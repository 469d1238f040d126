/**
 * The status story, on processes started the way a deployer does: `npm run -s migrate`, two
 * `npm run -s start:inference` and one `npm run -s start:web` on a PostgreSQL database of its own.
 * GET /api/status goes operational → degraded (one replica SIGKILLed) → down (the other stopped
 * with SIGTERM) → operational (both started again), each change seen within 10 s of the event plus
 * the 5 s cache, with no other traffic; /status renders each state in Chromium (screenshots
 * status-operational, status-degraded, status-down), reached signed out from the footer; the
 * admin System page shows both replicas (screenshot admin-system). Ports 3513 (web), 3517–3518.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import sharp from 'sharp';
import { shot } from './support/helpers';
import { databaseUrl, psql, replicaParts, results, serverPid, waitReady } from './support/replicas';
import { E2E } from './support/stack';

const root = E2E.repoRoot;
const tsx = path.join(root, 'node_modules/.bin/tsx');
const clusterHelper = path.join(root, 'apps/web/e2e/support/cluster-helper.ts');
const dbName = `bgr_status_${process.pid}`;
const DATABASE_URL = databaseUrl(dbName);
const WEB_PORT = 3513;
const INFERENCE_PORTS = [3517, 3518] as const;
const base = `http://127.0.0.1:${WEB_PORT}`;
const ADMIN = { email: 'ops@status.test', password: 'ops-password-e2e' };
/** How soon a change must show in /api/status: 10 s, its cache (at most 5 s) included. */
const WITHIN_MS = 10_000;

test.setTimeout(300_000);

const { start: startPart, stopAll } = replicaParts('status');

type Status = {
  status: 'operational' | 'degraded' | 'down';
  components: { database: string; storage: string; inference: { ready: number; total: number } };
  checkedAt: string;
};

async function apiStatus(): Promise<Status> {
  const res = await fetch(`${base}/api/status`);
  expect(res.status).toBe(200);
  const text = await res.text();
  // Nothing in it names a host or an address.
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|351\d|:\/\//);
  return JSON.parse(text) as Status;
}

/** Polls /api/status until it says `want`; returns the last answer and how long it took from `since`. */
async function statusBecomes(want: Status['status'], since: number): Promise<{ s: Status; ms: number }> {
  let last: Status | null = null;
  while (Date.now() - since < WITHIN_MS + 5000) {
    last = await apiStatus();
    if (last.status === want) return { s: last, ms: Date.now() - since };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`/api/status did not become ${want} (last: ${JSON.stringify(last)}).`);
}

async function statusPage(page: Page, want: Status['status'], name: string): Promise<void> {
  await page.goto(`${base}/status`);
  await expect(page.getByTestId('status-page')).toHaveAttribute('data-status', want);
  await expect(page.getByTestId('status-bars').getByRole('listitem')).toHaveCount(24);
  await shot(page, name);
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
}

test('the status follows inference replicas stopping and starting, with no traffic', async ({ browser }) => {
  mkdirSync(results, { recursive: true });
  const storageDir = mkdtempSync(path.join(tmpdir(), 'bgr-status-e2e-'));
  psql(`drop database if exists "${dbName}" with (force)`);
  psql(`create database "${dbName}"`);
  const timings: Record<string, number> = {};
  try {
    expect(await startPart('migrate', 'migrate', { DATABASE_URL }).exited).toBe(0);
    const admin = spawnSync(
      'npm',
      ['run', '-s', 'admin', '--', 'create-user', '--email', ADMIN.email, '--password', ADMIN.password, '--admin'],
      { cwd: root, env: { ...process.env, DATABASE_URL }, encoding: 'utf8' },
    );
    expect(admin.status, admin.stderr).toBe(0);
    // A user with credits and an API key (the cluster test's helper), for two renders the System page times.
    const seeded = spawnSync(tsx, [clusterHelper, 'seed'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL,
        SEED_EMAIL: 'api@status.test',
        SEED_PASSWORD: 'api-password-e2e',
        SEED_UNITS: '8',
      },
      encoding: 'utf8',
    });
    expect(seeded.status, seeded.stderr).toBe(0);
    const { apiKey } = JSON.parse(seeded.stdout.trim().split('\n').pop()!) as { apiKey: string };

    const secrets = { INFERENCE_SECRET: 'status-inference-secret', NEXTAUTH_SECRET: 'status-nextauth-secret' };
    const inferenceEnv = (port: number) => ({
      ...secrets,
      INFERENCE_PORT: String(port),
      INFERENCE_HOST: '127.0.0.1',
      INFERENCE_THREADS: '1',
      INFERENCE_DEVICE: 'cpu',
      INFERENCE_SKIP_MODEL_HASH: '1',
    });
    const startInference = (i: number) =>
      startPart(`inference-${i + 1}`, 'start:inference', inferenceEnv(INFERENCE_PORTS[i]!));
    const inference = [startInference(0), startInference(1)];
    // The web server once the replicas are up, as a rolling deploy would (started beside them, its
    // first recorded check would say down while they load the model: accurate, but not this story).
    await Promise.all(INFERENCE_PORTS.map((p) => waitReady(`http://127.0.0.1:${p}`, 240_000, 250)));
    startPart('web', 'start:web', {
      ...secrets,
      DATABASE_URL,
      STORAGE_URL: `file://${storageDir}`,
      INFERENCE_URLS: INFERENCE_PORTS.map((p) => `http://127.0.0.1:${p}`).join(','),
      PORT: String(WEB_PORT),
      HOST: '127.0.0.1',
      NEXTAUTH_URL: base,
      NEXT_DIST_DIR: E2E.distDir,
    });
    await waitReady(base, 120_000, 250);

    // 1. Operational: both replicas ready, database and storage up.
    const up = await statusBecomes('operational', Date.now());
    expect(up.s.components).toEqual({ database: 'up', storage: 'up', inference: { ready: 2, total: 2 } });
    expect(Date.now() - Date.parse(up.s.checkedAt)).toBeLessThan(6000); // cached at most 5 s

    // Two API previews: render times for the System page.
    for (const seed of [1, 2]) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="180"><rect width="100%" height="100%" fill="#e6e9ef"/><circle cx="120" cy="90" r="${40 + seed * 5}" fill="#c0563a"/></svg>`;
      const form = new FormData();
      const jpeg = await sharp(Buffer.from(svg)).jpeg().toBuffer();
      form.set('image_file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'photo.jpg');
      form.set('size', 'preview');
      const res = await fetch(`${base}/v1.0/removebg`, {
        method: 'POST',
        headers: { 'x-api-key': apiKey },
        body: form,
      });
      expect(res.status, await res.clone().text()).toBe(200);
      await res.arrayBuffer();
    }

    // Signed out, the footer of any page leads to /status.
    const visitor = await newPage(browser);
    await visitor.goto(`${base}/signin`);
    await visitor.getByRole('contentinfo').getByRole('link', { name: 'Platform status' }).click();
    await expect(visitor).toHaveURL(`${base}/status`);
    await expect(visitor.getByTestId('status-headline')).toHaveText('All systems operational');
    await expect(visitor.getByText('All 2 cut-out servers are ready.')).toBeVisible();
    // The recorder wrote a check as the web server started: the newest bar, or right after an hour
    // boundary the one before it, is coloured; the hours before the database existed are grey.
    const kinds = await visitor
      .getByTestId('status-bars')
      .getByRole('listitem')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')));
    expect(kinds.slice(-2).some((k) => k !== 'none')).toBe(true);
    expect(kinds.slice(0, 20).every((k) => k === 'none')).toBe(true);
    await statusPage(visitor, 'operational', 'status-operational');

    // 2. Degraded: one replica dies (SIGKILL, as a crash).
    let at = Date.now();
    process.kill(serverPid(inference[0]!), 'SIGKILL');
    const degraded = await statusBecomes('degraded', at);
    timings.degradedMs = degraded.ms;
    expect(degraded.s.components.inference).toEqual({ ready: 1, total: 2 });
    expect(degraded.ms).toBeLessThanOrEqual(WITHIN_MS);
    await statusPage(visitor, 'degraded', 'status-degraded');
    await expect(visitor.getByText('1 of 2 cut-out servers is ready; cut-outs go to the ready ones')).toBeVisible();

    // The admin System page: one replica ready with its provider, model and threads, one not ready.
    const ops = await newPage(browser);
    await ops.goto(`${base}/signin`);
    await ops.getByLabel('Email').fill(ADMIN.email);
    await ops.getByLabel('Password').fill(ADMIN.password);
    await ops.getByRole('button', { name: 'Sign in' }).click();
    await expect(ops.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await ops.goto(`${base}/admin`);
    await ops.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'System' }).click();
    await expect(ops).toHaveURL(`${base}/admin/system`);
    const rows = ops.getByTestId('system-inference').locator('tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toHaveAttribute('data-state', 'down');
    await expect(rows.nth(0)).toContainText('No statistics');
    await expect(rows.nth(1)).toHaveAttribute('data-state', 'ready');
    await expect(rows.nth(1)).toContainText('CPU · medium');
    await expect(rows.nth(1)).toContainText(/\d renders? in the last hour/);
    await expect(ops.getByTestId('system-web').locator('tbody tr')).toHaveCount(1);
    await expect(ops.getByTestId('system-backends')).toContainText('up');
    await expect(ops.getByTestId('system-scheduler')).toContainText('status-check');
    await expect(ops.getByTestId('system-holds')).toContainText('None');
    await shot(ops, 'admin-system');

    // 3. Down: the other one is stopped (SIGTERM: it drains and exits).
    at = Date.now();
    inference[1]!.child.kill('SIGTERM');
    const down = await statusBecomes('down', at);
    timings.downMs = down.ms;
    expect(down.s.components.inference).toEqual({ ready: 0, total: 2 });
    expect(down.ms).toBeLessThanOrEqual(WITHIN_MS);
    expect(await inference[1]!.exited).toBe(0);
    await statusPage(visitor, 'down', 'status-down');
    await expect(visitor.getByText('None of the 2 cut-out servers is ready.')).toBeVisible();

    // 4. Back: both start again; operational within the same bound of the second one being ready.
    const restarted = [startInference(0), startInference(1)];
    await Promise.all(INFERENCE_PORTS.map((p) => waitReady(`http://127.0.0.1:${p}`, 240_000, 250)));
    const back = await statusBecomes('operational', Date.now());
    timings.backMs = back.ms;
    expect(back.s.components.inference).toEqual({ ready: 2, total: 2 });
    expect(back.ms).toBeLessThanOrEqual(WITHIN_MS);
    await statusPage(visitor, 'operational', 'status-operational');
    expect(restarted).toHaveLength(2);
    console.log(`status: ${JSON.stringify(timings)}`);
  } finally {
    await stopAll();
    psql(`drop database if exists "${dbName}" with (force)`);
    rmSync(storageDir, { recursive: true, force: true });
  }
});
