/**
 * Periodic jobs across web replicas: each replica runs the scheduler, and before a job runs, its
 * replica claims the job's current tick (start time ÷ interval) with one INSERT on the
 * (job, tick) primary key. Exactly one claim per tick succeeds, whichever replica asks first, so
 * processDue and retention run once per tick however many replicas there are. Nothing is held
 * while the job runs; a replica that dies mid-run loses that tick, and the next tick runs again
 * (every job is idempotent). The same SQL works on the embedded database, where one process is
 * the only claimant.
 */
import { asc, eq, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { schedulerRuns } from '../schema';

/** The tick `now` falls in for a job run every `intervalMs`. */
export function schedulerTick(now: Date, intervalMs: number): number {
  return Math.floor(now.getTime() / intervalMs);
}

/** True for exactly one caller per (job, tick): this runner runs the job for that tick. */
export async function claimSchedulerTick(
  db: Db,
  claim: { job: string; tick: number; runner: string; now?: Date },
): Promise<boolean> {
  const rows = await db
    .insert(schedulerRuns)
    .values({ job: claim.job, tick: claim.tick, runner: claim.runner, startedAt: claim.now ?? new Date() })
    .onConflictDoNothing()
    .returning({ tick: schedulerRuns.tick });
  return rows.length === 1;
}

/** A job's runs, oldest tick first (operators, and tests that count runs per tick). */
export function listSchedulerRuns(db: Db, job: string): Promise<{ tick: number; runner: string; startedAt: Date }[]> {
  return db
    .select({ tick: schedulerRuns.tick, runner: schedulerRuns.runner, startedAt: schedulerRuns.startedAt })
    .from(schedulerRuns)
    .where(eq(schedulerRuns.job, job))
    .orderBy(asc(schedulerRuns.tick));
}

/** Deletes run records started before `before` (pruned with the other counters). */
export async function pruneSchedulerRuns(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(schedulerRuns)
    .where(lt(schedulerRuns.startedAt, before))
    .returning({ tick: schedulerRuns.tick });
  return rows.length;
}
