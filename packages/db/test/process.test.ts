import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/client';
import { lockDataDir } from '../src/data-dir-lock';
import { balance, getHold, grant, processDue, reconcile } from '../src/queries/ledger';
import { createUser } from '../src/queries/users';
import { createPgliteDataDir, createTestDb, DB_KINDS } from './support';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

/** Starts the fixture, waits until it has reserved, then kills it without any chance to clean up. */
async function reserveThenKill(userId: string, target: string): Promise<{ hold: { id: string } }> {
  // node itself (not the tsx wrapper, which would leave its node child running after SIGKILL).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'fixtures/reserve-and-hang.ts'), userId, target],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`fixture exited ${code}: ${err}`)));
  });
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
  return JSON.parse(line);
}

describe.each(DB_KINDS)('a request killed mid-flight on %s', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('leaves a hold that processDue releases after the timeout', async () => {
    let target: string;
    let open: () => Promise<{ db: Awaited<ReturnType<typeof createDb>>['db']; close(): Promise<void> }>;
    if (kind === 'postgres') {
      const t = await createTestDb('postgres');
      cleanups.push(t.close);
      target = t.url!;
      open = async () => ({ db: t.db, close: async () => {} });
    } else {
      const dir = await createPgliteDataDir();
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      target = dir;
      open = () => createDb({ dataDir: dir });
    }
    let h = await open();
    const user = await createUser(h.db, { email: 'killed@example.com' });
    await grant(h.db, { userId: user.id, units: 4, kind: 'payg' });
    await h.close();

    const { hold } = await reserveThenKill(user.id, target);

    // PGlite: the dead process's lock file is taken over, not a reason to refuse.
    h = await open();
    try {
      expect(await getHold(h.db, hold.id)).toMatchObject({ status: 'held', units: 4 });
      expect((await balance(h.db, { userId: user.id })).totalUnits).toBe(0);
      await processDue(h.db, { now: new Date(Date.now() + 15 * 60_000 + 1000), holdTimeoutMs: 15 * 60_000 });
      expect(await getHold(h.db, hold.id)).toMatchObject({ status: 'released' });
      expect((await balance(h.db, { userId: user.id })).totalUnits).toBe(4);
      expect((await reconcile(h.db)).ok).toBe(true);
    } finally {
      await h.close();
    }
  }, 240_000); // two processes open the database in turn: slow on a busy machine
});

describe('the embedded database folder', () => {
  it('refuses a second user of the same folder with one sentence', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bgr-lock-'));
    const first = await createDb({ dataDir: dir });
    try {
      await expect(createDb({ dataDir: dir })).rejects.toThrow(
        `The embedded database in ${dir} is in use by another process (the running app?); stop it or set DATABASE_URL.`,
      );
    } finally {
      await first.close();
    }
    // Closing gives the folder back: the next user may take it.
    lockDataDir(dir)();
    rmSync(dir, { recursive: true, force: true });
  });
});
