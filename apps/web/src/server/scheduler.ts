/**
 * Background jobs of the web process: the ledger's processDue (renewals, expiries, stale holds)
 * every minute; every hour retention (images and /improve submissions) and pruning of counters
 * that no longer matter (limit hits older than a day, idempotency keys past their 24 hours, old
 * scheduler run records). Started once from instrumentation.ts. Every web replica runs the
 * timers, and each job claims its tick in the database first (@bgr/db queries/scheduler.ts), so
 * across replicas each tick runs once.
 */
import { hostname } from 'node:os';
import { getDb, type Db } from '@bgr/db/client';
import { pruneChargeKeys } from '@bgr/db/queries/charge';
import { processDue } from '@bgr/db/queries/ledger';
import { pruneLimitHits } from '@bgr/db/queries/limits';
import { claimSchedulerTick, pruneSchedulerRuns, schedulerTick } from '@bgr/db/queries/scheduler';
import { env, isBuildPhase } from '~/env';
import { getStorage } from './storage/index';
import { deleteExpiredImages, deleteExpiredImprovements } from './images/retention';

const MINUTE = 60_000;

async function runProcessDue(db: Db): Promise<void> {
  // The stale-hold timeout is HOLD_TIMEOUT_MIN, from @bgr/db's piece of the configuration.
  const result = await processDue(db, { now: new Date(), holdTimeoutMs: env().db.holdTimeoutMs });
  if (result.releasedHolds + result.renewals + result.expiredLots > 0) {
    console.log(
      `[processDue] renewals ${result.renewals}, expired lots ${result.expiredLots}, stale holds released ${result.releasedHolds}`,
    );
  }
}

async function runRetention(db: Db): Promise<void> {
  const days = env().retentionDays;
  const { deleted } = await deleteExpiredImages({ db, storage: getStorage() }, { days });
  if (deleted > 0) console.log(`[retention] deleted ${deleted} expired image(s)`);
  const improvements = await deleteExpiredImprovements({ db, storage: getStorage() }, { days });
  if (improvements.deleted > 0)
    console.log(`[retention] deleted ${improvements.deleted} expired improvement submission(s)`);
}

/** No limit window is longer than a day; idempotency keys past their 24 hours replay nothing. */
export async function pruneCounters(
  db: Db,
  now: Date = new Date(),
): Promise<{ limitHits: number; chargeKeys: number; schedulerRuns: number }> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * MINUTE);
  const limitHits = await pruneLimitHits(db, dayAgo);
  const chargeKeys = await pruneChargeKeys(db, now);
  const schedulerRuns = await pruneSchedulerRuns(db, dayAgo);
  return { limitHits, chargeKeys, schedulerRuns };
}

async function runPrune(db: Db): Promise<void> {
  const pruned = await pruneCounters(db);
  if (pruned.limitHits + pruned.chargeKeys > 0)
    console.log(`[prune] limit hits ${pruned.limitHits}, idempotency keys ${pruned.chargeKeys}`);
}

export interface ScheduledJob {
  name: string;
  everyMs: number;
  /** Delay of the first run after the server starts. */
  firstAfterMs: number;
  run(db: Db): Promise<void>;
}

export const JOBS: ScheduledJob[] = [
  { name: 'processDue', everyMs: MINUTE, firstAfterMs: 5_000, run: runProcessDue },
  { name: 'retention', everyMs: 60 * MINUTE, firstAfterMs: 30_000, run: runRetention },
  { name: 'prune', everyMs: 60 * MINUTE, firstAfterMs: 45_000, run: runPrune },
];

/** This process, in the run records. */
const RUNNER = `${hostname()}:${process.pid}`;

/**
 * Runs `job` for the tick `now` falls in, unless some replica already claimed that tick; true
 * when this call ran it. A job that throws has still used its tick.
 */
export async function runJobOnce(
  db: Db,
  job: Pick<ScheduledJob, 'name' | 'everyMs' | 'run'>,
  now: Date = new Date(),
  runner: string = RUNNER,
): Promise<boolean> {
  const tick = schedulerTick(now, job.everyMs);
  if (!(await claimSchedulerTick(db, { job: job.name, tick, runner, now }))) return false;
  await job.run(db);
  return true;
}

/**
 * Runs `job` soon after start, then once in every tick at the same offset into it (the tick's
 * start + firstAfterMs), so a replica's timer never skips a tick or fires twice in one as a
 * plain interval drifting past a boundary would.
 */
function every(job: ScheduledJob): void {
  let running = false;
  const tick = async () => {
    if (running) return; // never overlap a slow run
    running = true;
    try {
      await runJobOnce(await getDb(), job);
    } catch (err) {
      console.error(`[scheduler] ${job.name} failed:`, err instanceof Error ? err.message : err);
    } finally {
      running = false;
    }
  };
  const scheduleNext = () => {
    const wait = msUntilNextRun(Date.now(), job);
    setTimeout(() => void tick().finally(scheduleNext), wait).unref();
  };
  setTimeout(() => void tick(), job.firstAfterMs).unref();
  scheduleNext();
}

/** Milliseconds from `now` to this job's next run: the next tick start + firstAfterMs (within the tick) after now. */
export function msUntilNextRun(now: number, job: Pick<ScheduledJob, 'everyMs' | 'firstAfterMs'>): number {
  const offset = job.firstAfterMs % job.everyMs;
  let at = Math.floor(now / job.everyMs) * job.everyMs + offset;
  if (at <= now) at += job.everyMs;
  return at - now;
}

const started = Symbol.for('bgr.scheduler.started');

export function startScheduler(): void {
  const g = globalThis as Record<symbol, unknown>;
  // Not while `next build` loads modules, and not when switched off (tests that drive time themselves).
  if (g[started] || isBuildPhase() || !env().scheduler) return;
  g[started] = true;
  for (const job of JOBS) every(job);
  console.log(
    '[scheduler] started: ledger processDue every minute; retention and counter pruning every hour (each tick runs on one replica)',
  );
}
