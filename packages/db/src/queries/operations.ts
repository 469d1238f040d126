/**
 * What the status page and the admin System page read and write: one recorded status check per
 * minute (the 24-hour history), each web replica's heartbeat, render outcomes per replica and
 * minute (the error rate across replicas), the scheduler's latest runs and holds left open.
 *
 * Why render outcomes are per-minute counters and not a row per render: a replica counts its
 * renders in memory and adds them to its (minute, replica) row with the heartbeat, so the cost is
 * one upsert per replica every few seconds whatever the traffic, and the error rate over five
 * minutes is a sum over at most 6 × replicas rows (the primary key leads with the minute). The
 * price is a short delay (the flush interval) before a replica's renders count everywhere.
 */
import { and, asc, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { holds, renderCounts, schedulerRuns, type ServiceStatus, statusChecks, users, webReplicas } from '../schema';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Unix minutes of `at` (the key of status checks and render counts). */
export function minuteOf(at: Date): number {
  return Math.floor(at.getTime() / MINUTE_MS);
}

export interface StatusCheckInput {
  checkedAt: Date;
  status: ServiceStatus;
  databaseUp: boolean;
  storageUp: boolean;
  inferenceReady: number;
  inferenceTotal: number;
  renderRequests: number;
  renderErrors: number;
}

/** Records the check of `checkedAt`'s minute; false when that minute already has one (another replica's). */
export async function recordStatusCheck(db: Db, check: StatusCheckInput): Promise<boolean> {
  const rows = await db
    .insert(statusChecks)
    .values({ minute: minuteOf(check.checkedAt), ...check })
    .onConflictDoNothing()
    .returning({ minute: statusChecks.minute });
  return rows.length === 1;
}

export interface HourOfChecks {
  /** Start of the hour. */
  hour: Date;
  /** The worst status recorded in that hour; null when nothing was recorded. */
  worst: ServiceStatus | null;
  checks: number;
}

const SEVERITY = sql<number>`max(case ${statusChecks.status} when 'down' then 2 when 'degraded' then 1 else 0 end)`;
const BY_SEVERITY: ServiceStatus[] = ['operational', 'degraded', 'down'];

/**
 * The last `hours` whole-or-current clock hours (UTC hour boundaries), oldest first, each with the
 * worst check recorded in it. Hours with no check are present with `worst: null`.
 */
export async function statusHistory(db: Db, input: { now?: Date; hours?: number } = {}): Promise<HourOfChecks[]> {
  const now = input.now ?? new Date();
  const hours = input.hours ?? 24;
  const firstHour = Math.floor(now.getTime() / HOUR_MS) - (hours - 1);
  const hourExpr = sql<number>`floor(${statusChecks.minute} / 60)`;
  const rows = await db
    .select({ hour: sql<string>`${hourExpr}::bigint`, severity: SEVERITY, checks: count() })
    .from(statusChecks)
    .where(and(gte(statusChecks.minute, firstHour * 60), lt(statusChecks.minute, (firstHour + hours) * 60)))
    .groupBy(hourExpr);
  const byHour = new Map(rows.map((r) => [Number(r.hour), r]));
  return Array.from({ length: hours }, (_, i) => {
    const h = firstHour + i;
    const row = byHour.get(h);
    return {
      hour: new Date(h * HOUR_MS),
      worst: row ? BY_SEVERITY[Number(row.severity)]! : null,
      checks: row ? Number(row.checks) : 0,
    };
  });
}

/** The most recent recorded checks, newest first (tests, operators). */
export function latestStatusChecks(db: Db, limit = 10) {
  return db.select().from(statusChecks).orderBy(desc(statusChecks.minute)).limit(limit);
}

export interface HeartbeatInput {
  replicaId: string;
  host: string;
  version: string;
  startedAt: Date;
  now?: Date;
}

/** This replica is alive: creates or refreshes its row. */
export async function heartbeat(db: Db, beat: HeartbeatInput): Promise<void> {
  const now = beat.now ?? new Date();
  await db
    .insert(webReplicas)
    .values({
      replicaId: beat.replicaId,
      host: beat.host,
      version: beat.version,
      startedAt: beat.startedAt,
      lastSeen: now,
    })
    .onConflictDoUpdate({ target: webReplicas.replicaId, set: { lastSeen: now, version: beat.version } });
}

/** Web replicas whose last heartbeat is at or after `since`, most recently started first. */
export function webReplicasSeen(db: Db, since: Date) {
  return db.select().from(webReplicas).where(gte(webReplicas.lastSeen, since)).orderBy(desc(webReplicas.startedAt));
}

export interface RenderCountsInput {
  replicaId: string;
  minute: number;
  requests: number;
  errors: number;
}

/** Adds a replica's renders of one minute to its row (created when missing). */
export async function addRenderCounts(db: Db, input: RenderCountsInput): Promise<void> {
  if (input.requests <= 0) return;
  await db
    .insert(renderCounts)
    .values(input)
    .onConflictDoUpdate({
      target: [renderCounts.minute, renderCounts.replicaId],
      set: {
        requests: sql`${renderCounts.requests} + excluded.requests`,
        errors: sql`${renderCounts.errors} + excluded.errors`,
      },
    });
}

/**
 * Renders and 5xx answers of every replica in the minutes that started in the last `windowMs`
 * before `now` (the current minute included).
 */
export async function renderTotals(
  db: Db,
  input: { now?: Date; windowMs: number },
): Promise<{ requests: number; errors: number }> {
  const now = input.now ?? new Date();
  const from = Math.floor((now.getTime() - input.windowMs) / MINUTE_MS) + 1;
  const [row] = await db
    .select({
      requests: sql<string>`coalesce(sum(${renderCounts.requests}), 0)`,
      errors: sql<string>`coalesce(sum(${renderCounts.errors}), 0)`,
    })
    .from(renderCounts)
    .where(and(gte(renderCounts.minute, from), lt(renderCounts.minute, minuteOf(now) + 1)));
  return { requests: Number(row?.requests ?? 0), errors: Number(row?.errors ?? 0) };
}

/** Each periodic job's latest run (the System page). */
export async function lastSchedulerRuns(db: Db): Promise<{ job: string; runner: string; startedAt: Date }[]> {
  const rows = await db
    .selectDistinctOn([schedulerRuns.job], {
      job: schedulerRuns.job,
      runner: schedulerRuns.runner,
      startedAt: schedulerRuns.startedAt,
    })
    .from(schedulerRuns)
    .orderBy(asc(schedulerRuns.job), desc(schedulerRuns.tick));
  return rows;
}

export interface StaleHolds {
  count: number;
  oldest: { id: string; userEmail: string | null; units: number; key: string; createdAt: Date }[];
}

/** Holds still held that were taken before `before`: how many, and the oldest `limit`. */
export async function staleHolds(db: Db, input: { before: Date; limit?: number }): Promise<StaleHolds> {
  const where = and(eq(holds.status, 'held'), lt(holds.createdAt, input.before));
  const [total] = await db.select({ n: count() }).from(holds).where(where);
  const oldest = await db
    .select({ id: holds.id, userEmail: users.email, units: holds.units, key: holds.key, createdAt: holds.createdAt })
    .from(holds)
    .leftJoin(users, eq(users.id, holds.userId))
    .where(where)
    .orderBy(asc(holds.createdAt))
    .limit(input.limit ?? 5);
  return { count: Number(total?.n ?? 0), oldest };
}

/** Deletes checks, heartbeats and render counts older than `before`; how many rows of each. */
export async function pruneOperations(
  db: Db,
  before: Date,
): Promise<{ statusChecks: number; webReplicas: number; renderCounts: number }> {
  const minute = minuteOf(before);
  const checks = await db
    .delete(statusChecks)
    .where(lt(statusChecks.minute, minute))
    .returning({ m: statusChecks.minute });
  const replicas = await db
    .delete(webReplicas)
    .where(lt(webReplicas.lastSeen, before))
    .returning({ id: webReplicas.replicaId });
  const counts = await db
    .delete(renderCounts)
    .where(lt(renderCounts.minute, minute))
    .returning({ m: renderCounts.minute });
  return { statusChecks: checks.length, webReplicas: replicas.length, renderCounts: counts.length };
}
