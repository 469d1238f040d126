/**
 * The web process's part in the status, started once from instrumentation.ts:
 *   - watches the inference replicas from the start (their /readyz each second), so the status
 *     follows a replica dying or coming back with no traffic at all;
 *   - every FLUSH_MS adds this process's pending render counts to PostgreSQL;
 *   - every HEARTBEAT_MS refreshes this replica's heartbeat row (the admin System page);
 *   - once a minute across the fleet records a status check (the /status history), and once an
 *     hour prunes checks, heartbeats and counts older than KEEP_MS. Both claim their tick in
 *     scheduler_runs first (runJobOnce, as the scheduler's jobs do), so one replica does each.
 * The claimed jobs follow BGR_SCHEDULER (off in tests that drive time themselves); the rest always runs.
 */
import { getDb, type Db } from '@bgr/db/client';
import { addRenderCounts, heartbeat, pruneOperations, recordStatusCheck } from '@bgr/db/queries/operations';
import { schedulerTick } from '@bgr/db/queries/scheduler';
import { env, isBuildPhase } from '~/env';
import { getInference } from '../inference';
import { runJobOnce } from '../scheduler';
import { currentStatus } from './current';
import { restorePending, takePending } from './render-outcomes';
import { thisReplica } from './replica';

const MINUTE = 60_000;
export const FLUSH_MS = 5000;
export const HEARTBEAT_MS = 15_000;
export const KEEP_MS = 2 * 24 * 60 * MINUTE;

/** Adds what is pending to this replica's per-minute rows; puts back what could not be stored. */
export async function flushRenderCounts(db: Db): Promise<void> {
  const rows = takePending();
  const replicaId = thisReplica().id;
  for (let i = 0; i < rows.length; i++) {
    try {
      await addRenderCounts(db, { replicaId, ...rows[i]! });
    } catch (err) {
      restorePending(rows.slice(i));
      throw err;
    }
  }
}

export async function beat(db: Db, now: Date = new Date()): Promise<void> {
  const me = thisReplica();
  await heartbeat(db, { replicaId: me.id, host: me.host, version: me.version, startedAt: me.startedAt, now });
}

/** Stores the current status as this minute's check (unless another replica already did). */
export async function recordCheck(db: Db): Promise<void> {
  const s = await currentStatus();
  await recordStatusCheck(db, {
    checkedAt: new Date(s.public.checkedAt),
    status: s.public.status,
    databaseUp: s.database.up,
    storageUp: s.storage.up,
    inferenceReady: s.public.components.inference.ready,
    inferenceTotal: s.public.components.inference.total,
    renderRequests: s.renders.requests,
    renderErrors: s.renders.errors,
  });
}

export const STATUS_JOBS = {
  check: { name: 'status-check', everyMs: MINUTE, run: recordCheck },
  prune: {
    name: 'status-prune',
    everyMs: 60 * MINUTE,
    run: async (db: Db) => void (await pruneOperations(db, new Date(Date.now() - KEEP_MS))),
  },
};

const started = Symbol.for('bgr.status.recorder.started');

export function startStatusRecorder(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[started] || isBuildPhase()) return;
  g[started] = true;
  getInference().watch();
  const claimed = env().scheduler;
  const tried = new Map<string, number>();
  let lastBeat = 0;
  let failing = false;
  let running = false;

  const round = async () => {
    if (running) return;
    running = true;
    try {
      const db = await getDb();
      await flushRenderCounts(db);
      if (Date.now() - lastBeat >= HEARTBEAT_MS) {
        await beat(db);
        lastBeat = Date.now();
      }
      // Each claimed job is tried once per tick by this replica; the claim picks one replica.
      for (const job of claimed ? Object.values(STATUS_JOBS) : []) {
        const tick = schedulerTick(new Date(), job.everyMs);
        if (tried.get(job.name) === tick) continue;
        tried.set(job.name, tick);
        await runJobOnce(db, job);
      }
      if (failing) console.log('[status] recording again');
      failing = false;
    } catch (err) {
      if (!failing) console.error('[status] recording failed:', err instanceof Error ? err.message : err);
      failing = true;
    } finally {
      running = false;
    }
  };
  setTimeout(() => void round(), 1000).unref();
  setInterval(() => void round(), FLUSH_MS).unref();
}
