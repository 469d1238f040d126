/**
 * Background jobs of the web process: the ledger's processDue (renewals, expiries, stale holds)
 * every minute; every hour retention (images and /improve submissions) and pruning of counters
 * that no longer matter (limit hits older than a day, idempotency keys past their 24 hours).
 * Started once from instrumentation.ts. Several web replicas may run it at once: every job is
 * idempotent.
 */
import { getDb } from '@bgr/db/client';
import { pruneChargeKeys } from '@bgr/db/queries/charge';
import { processDue } from '@bgr/db/queries/ledger';
import { pruneLimitHits } from '@bgr/db/queries/limits';
import { env, isBuildPhase } from '~/env';
import { getStorage } from './storage/index';
import { deleteExpiredImages, deleteExpiredImprovements } from './images/retention';

const MINUTE = 60_000;

async function runProcessDue(): Promise<void> {
  const db = await getDb();
  // The stale-hold timeout is HOLD_TIMEOUT_MIN, from @bgr/db's piece of the configuration.
  const result = await processDue(db, { now: new Date(), holdTimeoutMs: env().db.holdTimeoutMs });
  if (result.releasedHolds + result.renewals + result.expiredLots > 0) {
    console.log(
      `[processDue] renewals ${result.renewals}, expired lots ${result.expiredLots}, stale holds released ${result.releasedHolds}`,
    );
  }
}

async function runRetention(): Promise<void> {
  const db = await getDb();
  const days = env().retentionDays;
  const { deleted } = await deleteExpiredImages({ db, storage: getStorage() }, { days });
  if (deleted > 0) console.log(`[retention] deleted ${deleted} expired image(s)`);
  const improvements = await deleteExpiredImprovements({ db, storage: getStorage() }, { days });
  if (improvements.deleted > 0)
    console.log(`[retention] deleted ${improvements.deleted} expired improvement submission(s)`);
}

/** No limit window is longer than a day; idempotency keys past their 24 hours replay nothing. */
export async function pruneCounters(
  db: Awaited<ReturnType<typeof getDb>>,
  now: Date = new Date(),
): Promise<{ limitHits: number; chargeKeys: number }> {
  const limitHits = await pruneLimitHits(db, new Date(now.getTime() - 24 * 60 * MINUTE));
  const chargeKeys = await pruneChargeKeys(db, now);
  return { limitHits, chargeKeys };
}

async function runPrune(): Promise<void> {
  const pruned = await pruneCounters(await getDb());
  if (pruned.limitHits + pruned.chargeKeys > 0)
    console.log(`[prune] limit hits ${pruned.limitHits}, idempotency keys ${pruned.chargeKeys}`);
}

function every(name: string, ms: number, job: () => Promise<void>, firstAfterMs: number): void {
  let running = false;
  const tick = async () => {
    if (running) return; // never overlap a slow run
    running = true;
    try {
      await job();
    } catch (err) {
      console.error(`[scheduler] ${name} failed:`, err instanceof Error ? err.message : err);
    } finally {
      running = false;
    }
  };
  setTimeout(() => void tick(), firstAfterMs).unref();
  setInterval(() => void tick(), ms).unref();
}

const started = Symbol.for('bgr.scheduler.started');

export function startScheduler(): void {
  const g = globalThis as Record<symbol, unknown>;
  // Not while `next build` loads modules, and not when switched off (tests that drive time themselves).
  if (g[started] || isBuildPhase() || !env().scheduler) return;
  g[started] = true;
  every('processDue', MINUTE, runProcessDue, 5_000);
  every('retention', 60 * MINUTE, runRetention, 30_000);
  every('prune', 60 * MINUTE, runPrune, 45_000);
  console.log('[scheduler] started: ledger processDue every minute; retention and counter pruning every hour');
}
