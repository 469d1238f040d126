/**
 * Periodic jobs run once per tick across replicas: two schedulers on two connections to one
 * PostgreSQL database (as two web replicas are) call every job for the same ticks, at the same
 * moment and at different moments within the tick; each tick runs exactly once. The embedded
 * database (one process) runs every tick.
 */
import { createDb, type DbHandle } from '@bgr/db/client';
import { listSchedulerRuns } from '@bgr/db/queries/scheduler';
import { withTestDb } from '@bgr/db/test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS, msUntilNextRun, pruneCounters, runJobOnce } from '~/server/scheduler';

const MINUTE = 60_000;
const T0 = Date.UTC(2027, 0, 1); // a tick boundary for every interval used here

describe('two replicas on one PostgreSQL database', () => {
  const t = withTestDb('postgres');
  let a: DbHandle['db'];
  let second: DbHandle;
  let b: DbHandle['db'];

  beforeAll(async () => {
    a = t.db;
    second = await createDb({ url: t.url! }); // its own connection pool: another replica
    b = second.db;
  });
  afterAll(async () => {
    await second?.close();
  });

  it('each tick runs once, whether both replicas ask together or one after the other', async () => {
    const ranBy = new Map<number, string[]>();
    const job = (name: string) => ({
      name: 'counting',
      everyMs: MINUTE,
      run: async () => {
        const tick = Math.floor(current / MINUTE);
        ranBy.set(tick, [...(ranBy.get(tick) ?? []), name]);
        await new Promise((r) => setTimeout(r, 5)); // a job takes a while
      },
    });
    let current = T0;
    for (let i = 0; i < 12; i++) {
      const start = T0 + i * MINUTE;
      current = start;
      if (i % 2 === 0) {
        // Both timers fire at the same moment.
        const ran = await Promise.all([
          runJobOnce(a, job('A'), new Date(start + 1_000), 'replica-a'),
          runJobOnce(b, job('B'), new Date(start + 1_000), 'replica-b'),
        ]);
        expect(ran.filter(Boolean)).toHaveLength(1);
      } else {
        // B's timer fires 40 s into the tick, long after A's run finished.
        expect(await runJobOnce(a, job('A'), new Date(start + 2_000), 'replica-a')).toBe(true);
        expect(await runJobOnce(b, job('B'), new Date(start + 42_000), 'replica-b')).toBe(false);
      }
    }
    expect([...ranBy.keys()]).toHaveLength(12);
    for (const runs of ranBy.values()) expect(runs).toHaveLength(1);
    const recorded = await listSchedulerRuns(b, 'counting');
    expect(recorded.map((r) => r.tick)).toEqual([...ranBy.keys()].sort((x, y) => x - y));
    expect(recorded.filter((r) => r.runner === 'replica-a').length).toBeGreaterThanOrEqual(6);
  });

  it('the real jobs (processDue, retention, pruning) go through the same claim', async () => {
    const now = new Date(T0 + 5 * 60 * MINUTE + 7_000);
    for (const job of JOBS) {
      const ran = await Promise.all([runJobOnce(a, job, now, 'replica-a'), runJobOnce(b, job, now, 'replica-b')]);
      expect(ran.filter(Boolean), job.name).toHaveLength(1);
      expect(await listSchedulerRuns(a, job.name), job.name).toHaveLength(1);
    }
  });

  it('a job that fails has used its tick; the next tick runs again', async () => {
    const failing = {
      name: 'failing',
      everyMs: MINUTE,
      run: async () => {
        throw new Error('boom');
      },
    };
    await expect(runJobOnce(a, failing, new Date(T0 + 1_000), 'replica-a')).rejects.toThrow('boom');
    expect(await runJobOnce(b, { ...failing, run: async () => {} }, new Date(T0 + 30_000), 'replica-b')).toBe(false);
    expect(await runJobOnce(b, { ...failing, run: async () => {} }, new Date(T0 + MINUTE), 'replica-b')).toBe(true);
  });

  it('old run records are pruned with the other counters', async () => {
    const pruned = await pruneCounters(a, new Date(T0 + 2 * 24 * 60 * MINUTE));
    expect(pruned.schedulerRuns).toBeGreaterThan(0);
    expect(await listSchedulerRuns(a, 'counting')).toEqual([]);
  });
});

describe('the embedded database (one process)', () => {
  const t = withTestDb('pglite');

  it('runs every tick once', async () => {
    let runs = 0;
    const job = { name: 'counting', everyMs: MINUTE, run: async () => void runs++ };
    for (let i = 0; i < 3; i++) {
      expect(await runJobOnce(t.db, job, new Date(T0 + i * MINUTE))).toBe(true);
      expect(await runJobOnce(t.db, job, new Date(T0 + i * MINUTE + 59_000))).toBe(false);
    }
    expect(runs).toBe(3);
  });
});

describe('the timer', () => {
  it('fires once in every tick at the same offset, whatever the drift', () => {
    const job = { everyMs: MINUTE, firstAfterMs: 5_000 };
    expect(msUntilNextRun(T0, job)).toBe(5_000);
    expect(msUntilNextRun(T0 + 5_000, job)).toBe(MINUTE);
    expect(msUntilNextRun(T0 + 5_003, job)).toBe(MINUTE - 3); // a late firing does not push the next
    expect(msUntilNextRun(T0 + 59_999, job)).toBe(5_001);
    // Walking the timer: one firing per tick, none skipped.
    const fired: number[] = [];
    for (let now = T0 + 1, i = 0; i < 100; i++) {
      now += msUntilNextRun(now, job) + 7; // each firing 7 ms late
      fired.push(Math.floor(now / MINUTE));
    }
    expect(new Set(fired).size).toBe(100);
    expect(fired.at(-1)! - fired[0]!).toBe(99);
  });
});
