/** Claiming a periodic job's tick: one claim per (job, tick), recorded and pruned, on both engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/client';
import { claimSchedulerTick, listSchedulerRuns, pruneSchedulerRuns, schedulerTick } from '../src/queries/scheduler';
import { createTestDb, DB_KINDS } from './support';

describe.each(DB_KINDS)('scheduler ticks on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const t = await createTestDb(kind);
    db = t.db;
    close = t.close;
  });
  afterAll(() => close?.());

  it('numbers ticks by interval', () => {
    expect(schedulerTick(new Date(120_000), 60_000)).toBe(2);
    expect(schedulerTick(new Date(179_999), 60_000)).toBe(2);
    expect(schedulerTick(new Date(180_000), 60_000)).toBe(3);
  });

  it('lets exactly one of many concurrent claims of a tick win; other jobs and ticks are separate', async () => {
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => claimSchedulerTick(db, { job: 'processDue', tick: 100, runner: `r${i}` })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimSchedulerTick(db, { job: 'retention', tick: 100, runner: 'r0' })).toBe(true);
    expect(await claimSchedulerTick(db, { job: 'processDue', tick: 101, runner: 'r1' })).toBe(true);
    const runs = await listSchedulerRuns(db, 'processDue');
    expect(runs.map((r) => r.tick)).toEqual([100, 101]);
    expect(runs[1]!.runner).toBe('r1');
  });

  it('prunes records started before a time', async () => {
    const old = new Date('2026-01-01T00:00:00Z');
    await claimSchedulerTick(db, { job: 'prune', tick: 1, runner: 'r', now: old });
    expect(await pruneSchedulerRuns(db, new Date('2026-01-02T00:00:00Z'))).toBe(1);
    expect(await listSchedulerRuns(db, 'prune')).toEqual([]);
    expect(await listSchedulerRuns(db, 'processDue')).toHaveLength(2);
  });
});
