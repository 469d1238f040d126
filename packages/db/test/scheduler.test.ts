/** Claiming a periodic job's tick: one claim per (job, tick), recorded and pruned, on both engines. */
import { describe, expect, it } from 'vitest';
import { claimSchedulerTick, listSchedulerRuns, pruneSchedulerRuns, schedulerTick } from '../src/queries/scheduler';
import { DB_KINDS, withTestDb } from './support';

describe.each(DB_KINDS)('scheduler ticks on %s', (kind) => {
  const ctx = withTestDb(kind);

  it('numbers ticks by interval', () => {
    expect(schedulerTick(new Date(120_000), 60_000)).toBe(2);
    expect(schedulerTick(new Date(179_999), 60_000)).toBe(2);
    expect(schedulerTick(new Date(180_000), 60_000)).toBe(3);
  });

  it('lets exactly one of many concurrent claims of a tick win; other jobs and ticks are separate', async () => {
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        claimSchedulerTick(ctx.db, { job: 'processDue', tick: 100, runner: `r${i}` }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimSchedulerTick(ctx.db, { job: 'retention', tick: 100, runner: 'r0' })).toBe(true);
    expect(await claimSchedulerTick(ctx.db, { job: 'processDue', tick: 101, runner: 'r1' })).toBe(true);
    const runs = await listSchedulerRuns(ctx.db, 'processDue');
    expect(runs.map((r) => r.tick)).toEqual([100, 101]);
    expect(runs[1]!.runner).toBe('r1');
  });

  it('prunes records started before a time', async () => {
    const old = new Date('2026-01-01T00:00:00Z');
    await claimSchedulerTick(ctx.db, { job: 'prune', tick: 1, runner: 'r', now: old });
    expect(await pruneSchedulerRuns(ctx.db, new Date('2026-01-02T00:00:00Z'))).toBe(1);
    expect(await listSchedulerRuns(ctx.db, 'prune')).toEqual([]);
    expect(await listSchedulerRuns(ctx.db, 'processDue')).toHaveLength(2);
  });
});
