/** The status page's and System page's queries on both engines: checks, history, heartbeats, render counts, holds. */
import { describe, expect, it } from 'vitest';
import { grant, reserve } from '../src/queries/ledger';
import {
  addRenderCounts,
  heartbeat,
  lastSchedulerRuns,
  latestStatusChecks,
  minuteOf,
  pruneOperations,
  recordStatusCheck,
  renderTotals,
  staleHolds,
  statusHistory,
  webReplicasSeen,
} from '../src/queries/operations';
import { claimSchedulerTick } from '../src/queries/scheduler';
import { createUser } from '../src/queries/users';
import { DB_KINDS, withTestDb } from './support';

const T0 = new Date('2026-11-30T12:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const check = (minutes: number, status: 'operational' | 'degraded' | 'down') => ({
  checkedAt: at(minutes),
  status,
  databaseUp: true,
  storageUp: true,
  inferenceReady: status === 'down' ? 0 : 2,
  inferenceTotal: 2,
  renderRequests: 10,
  renderErrors: status === 'degraded' ? 1 : 0,
});

describe.each(DB_KINDS)('operations queries on %s', (kind) => {
  const ctx = withTestDb(kind);

  it('records one check per minute, whichever replica comes first', async () => {
    expect(await recordStatusCheck(ctx.db, check(0, 'operational'))).toBe(true);
    expect(
      await recordStatusCheck(ctx.db, { ...check(0, 'down'), checkedAt: new Date(at(0).getTime() + 30_000) }),
    ).toBe(false);
    const [latest] = await latestStatusChecks(ctx.db, 1);
    expect(latest).toMatchObject({ minute: minuteOf(at(0)), status: 'operational', inferenceReady: 2 });
  });

  it('gives 24 hourly bars, oldest first, each the worst check of its hour, empty hours null', async () => {
    await recordStatusCheck(ctx.db, check(1, 'degraded')); // 12:01, same hour as the operational one
    await recordStatusCheck(ctx.db, check(-60, 'operational')); // 11:00
    await recordStatusCheck(ctx.db, check(-59, 'down')); // 11:01
    await recordStatusCheck(ctx.db, check(-59 + 60 * 24, 'down')); // tomorrow: outside the window
    await recordStatusCheck(ctx.db, check(-60 * 24, 'down')); // 12:00 yesterday: the hour before the first bar
    const bars = await statusHistory(ctx.db, { now: at(30) });
    expect(bars).toHaveLength(24);
    expect(bars[23]).toEqual({ hour: T0, worst: 'degraded', checks: 2 });
    expect(bars[22]).toEqual({ hour: at(-60), worst: 'down', checks: 2 });
    expect(bars[0]!.hour).toEqual(at(-23 * 60));
    expect(bars.slice(0, 22).every((b) => b.worst === null && b.checks === 0)).toBe(true);
  });

  it('sums render counts of every replica over the window, adding to a replica minute row', async () => {
    await addRenderCounts(ctx.db, { replicaId: 'a', minute: minuteOf(at(0)), requests: 10, errors: 1 });
    await addRenderCounts(ctx.db, { replicaId: 'a', minute: minuteOf(at(0)), requests: 5, errors: 2 });
    await addRenderCounts(ctx.db, { replicaId: 'b', minute: minuteOf(at(3)), requests: 20, errors: 0 });
    await addRenderCounts(ctx.db, { replicaId: 'b', minute: minuteOf(at(-10)), requests: 100, errors: 100 }); // too old
    await addRenderCounts(ctx.db, { replicaId: 'c', minute: minuteOf(at(9)), requests: 7, errors: 7 }); // the future
    await addRenderCounts(ctx.db, { replicaId: 'c', minute: minuteOf(at(1)), requests: 0, errors: 0 }); // nothing: no row
    expect(await renderTotals(ctx.db, { now: at(4.5), windowMs: 5 * 60_000 })).toEqual({ requests: 35, errors: 3 });
    // Minute 0 started 5 min 30 s before 5.5: out of the window.
    expect(await renderTotals(ctx.db, { now: at(5.5), windowMs: 5 * 60_000 })).toEqual({ requests: 20, errors: 0 });
    expect(await renderTotals(ctx.db, { now: at(60), windowMs: 5 * 60_000 })).toEqual({ requests: 0, errors: 0 });
  });

  it('refuses more errors than renders', async () => {
    await expect(addRenderCounts(ctx.db, { replicaId: 'z', minute: 1, requests: 1, errors: 2 })).rejects.toThrow();
  });

  it('lists replicas seen since a time, refreshing the row on each heartbeat', async () => {
    const startedAt = at(-30);
    await heartbeat(ctx.db, { replicaId: 'web-1', host: 'h1:1', version: 'v1', startedAt, now: at(-20) });
    await heartbeat(ctx.db, { replicaId: 'web-2', host: 'h2:2', version: 'v1', startedAt: at(-5), now: at(-5) });
    await heartbeat(ctx.db, { replicaId: 'web-1', host: 'h1:1', version: 'v2', startedAt, now: at(0) });
    const seen = await webReplicasSeen(ctx.db, at(-1));
    expect(seen.map((r) => [r.replicaId, r.version, r.lastSeen.toISOString()])).toEqual([
      ['web-1', 'v2', at(0).toISOString()],
    ]);
    expect((await webReplicasSeen(ctx.db, at(-10))).map((r) => r.replicaId)).toEqual(['web-2', 'web-1']);
  });

  it("gives each job's latest run", async () => {
    await claimSchedulerTick(ctx.db, { job: 'processDue', tick: 5, runner: 'r1', now: at(-2) });
    await claimSchedulerTick(ctx.db, { job: 'processDue', tick: 6, runner: 'r2', now: at(-1) });
    await claimSchedulerTick(ctx.db, { job: 'status-check', tick: 9, runner: 'r1', now: at(0) });
    expect(await lastSchedulerRuns(ctx.db)).toEqual([
      { job: 'processDue', runner: 'r2', startedAt: at(-1) },
      { job: 'status-check', runner: 'r1', startedAt: at(0) },
    ]);
  });

  it('counts holds still held past a time and lists the oldest', async () => {
    const user = await createUser(ctx.db, { email: 'holder@example.com', password: 'holder-password' });
    await grant(ctx.db, { userId: user.id, units: 40, kind: 'promo', now: at(-100) });
    for (const [i, m] of [-90, -80, -70, -1].entries())
      expect((await reserve(ctx.db, { userId: user.id, units: 4, key: `k${i}`, now: at(m) })).ok).toBe(true);
    const stale = await staleHolds(ctx.db, { before: at(-5), limit: 2 });
    expect(stale.count).toBe(3);
    expect(stale.oldest.map((h) => [h.key, h.userEmail, h.units, h.createdAt])).toEqual([
      ['k0', 'holder@example.com', 4, at(-90)],
      ['k1', 'holder@example.com', 4, at(-80)],
    ]);
  });

  it('prunes checks, heartbeats and counts older than a time', async () => {
    const pruned = await pruneOperations(ctx.db, at(-2));
    expect(pruned).toEqual({ statusChecks: 3, webReplicas: 1, renderCounts: 1 });
    expect((await statusHistory(ctx.db, { now: at(30) }))[22]!.worst).toBeNull();
    expect((await webReplicasSeen(ctx.db, at(-60))).map((r) => r.replicaId)).toEqual(['web-1']);
  });
});
