/**
 * Usage reports over `usage_events` (one row per preview, HD download or API call, failed ones
 * included): the user's history and chart, and the admin overview (images and credits per day,
 * top users, failures). Days are UTC calendar days, 'YYYY-MM-DD'.
 */
import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { usageEvents, users, type UsageEvent } from '../schema';

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' (UTC) of an instant. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Every UTC day from `since` to `until` inclusive, so charts have an even time axis. */
export function daysBetween(since: Date, until: Date): string[] {
  const out: string[] = [];
  const start = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = start; t <= until.getTime(); t += DAY_MS) out.push(utcDay(new Date(t)));
  return out;
}

/** Start of the UTC day of `since`; the upper bound is exclusive. */
function range(since: Date, until: Date) {
  const from = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  return and(gte(usageEvents.createdAt, from), lt(usageEvents.createdAt, new Date(until.getTime() + 1)));
}

const dayExpr = sql<string>`to_char(${usageEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;

/**
 * Sizes that are previews: the free web preview and the ¼-credit API sizes. Everything else
 * (hd, full, 4k, 50MP, medium, auto charged as full) counts as HD.
 */
const PREVIEW_KINDS = ['preview', 'small', 'regular'];
const previewExpr = inArray(usageEvents.kind, PREVIEW_KINDS);

export type UsageEventView = {
  id: string;
  at: Date;
  kind: string;
  channel: UsageEvent['channel'];
  units: number;
  ok: boolean;
  errorCode: string | null;
};

/** The user's most recent usage events, newest first. */
export async function userUsageEvents(db: Db, opts: { userId: string; limit?: number }): Promise<UsageEventView[]> {
  const rows = await db
    .select({
      id: usageEvents.id,
      at: usageEvents.createdAt,
      kind: usageEvents.kind,
      channel: usageEvents.channel,
      units: usageEvents.units,
      ok: usageEvents.ok,
      errorCode: usageEvents.errorCode,
    })
    .from(usageEvents)
    .where(eq(usageEvents.userId, opts.userId))
    .orderBy(desc(usageEvents.createdAt), desc(usageEvents.id))
    .limit(opts.limit ?? 50);
  return rows.map((r) => ({ ...r, id: String(r.id) }));
}

export type UserUsageDay = {
  day: string;
  webPreview: number;
  webHd: number;
  apiPreview: number;
  apiHd: number;
  /** Our own clients (the bgr CLI): the "apps" channel. */
  appsPreview: number;
  appsHd: number;
  units: number;
};

/** Successful images per day for one user: previews vs HD, web vs API vs apps, and units spent. */
export async function userUsageByDay(
  db: Db,
  opts: { userId: string; since: Date; until: Date },
): Promise<UserUsageDay[]> {
  const rows = await db
    .select({
      day: dayExpr,
      webPreview: sql<number>`count(*) filter (where ${usageEvents.channel} = 'web' and ${previewExpr})::int`,
      webHd: sql<number>`count(*) filter (where ${usageEvents.channel} = 'web' and not ${previewExpr})::int`,
      apiPreview: sql<number>`count(*) filter (where ${usageEvents.channel} = 'api' and ${previewExpr})::int`,
      apiHd: sql<number>`count(*) filter (where ${usageEvents.channel} = 'api' and not ${previewExpr})::int`,
      appsPreview: sql<number>`count(*) filter (where ${usageEvents.channel} = 'apps' and ${previewExpr})::int`,
      appsHd: sql<number>`count(*) filter (where ${usageEvents.channel} = 'apps' and not ${previewExpr})::int`,
      units: sql<number>`coalesce(sum(${usageEvents.units}), 0)::int`,
    })
    .from(usageEvents)
    .where(and(eq(usageEvents.userId, opts.userId), eq(usageEvents.ok, true), range(opts.since, opts.until)))
    .groupBy(dayExpr);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return daysBetween(opts.since, opts.until).map((day) => {
    const r = byDay.get(day);
    return {
      day,
      webPreview: Number(r?.webPreview ?? 0),
      webHd: Number(r?.webHd ?? 0),
      apiPreview: Number(r?.apiPreview ?? 0),
      apiHd: Number(r?.apiHd ?? 0),
      appsPreview: Number(r?.appsPreview ?? 0),
      appsHd: Number(r?.appsHd ?? 0),
      units: Number(r?.units ?? 0),
    };
  });
}

export type OverviewDay = {
  day: string;
  webImages: number;
  apiImages: number;
  appsImages: number;
  webUnits: number;
  apiUnits: number;
  appsUnits: number;
  failures: number;
};

export type UsageOverview = {
  days: OverviewDay[];
  totals: { images: number; units: number; failures: number; activeUsers: number };
  topUsers: { userId: string; email: string; images: number; units: number }[];
  failuresByCode: { errorCode: string; count: number }[];
  recentFailures: {
    id: string;
    at: Date;
    email: string;
    channel: UsageEvent['channel'];
    kind: string;
    errorCode: string | null;
  }[];
};

/** Everything the admin usage page shows, for all users between `since` and `until`. */
export async function usageOverview(
  db: Db,
  opts: { since: Date; until: Date; topUsers?: number; failures?: number },
): Promise<UsageOverview> {
  const where = range(opts.since, opts.until);
  const daily = await db
    .select({
      day: dayExpr,
      webImages: sql<number>`count(*) filter (where ${usageEvents.ok} and ${usageEvents.channel} = 'web')::int`,
      apiImages: sql<number>`count(*) filter (where ${usageEvents.ok} and ${usageEvents.channel} = 'api')::int`,
      appsImages: sql<number>`count(*) filter (where ${usageEvents.ok} and ${usageEvents.channel} = 'apps')::int`,
      webUnits: sql<number>`coalesce(sum(${usageEvents.units}) filter (where ${usageEvents.ok} and ${usageEvents.channel} = 'web'), 0)::int`,
      apiUnits: sql<number>`coalesce(sum(${usageEvents.units}) filter (where ${usageEvents.ok} and ${usageEvents.channel} = 'api'), 0)::int`,
      appsUnits: sql<number>`coalesce(sum(${usageEvents.units}) filter (where ${usageEvents.ok} and ${usageEvents.channel} = 'apps'), 0)::int`,
      failures: sql<number>`count(*) filter (where not ${usageEvents.ok})::int`,
    })
    .from(usageEvents)
    .where(where)
    .groupBy(dayExpr);
  const byDay = new Map(daily.map((r) => [r.day, r]));
  const days = daysBetween(opts.since, opts.until).map((day) => {
    const r = byDay.get(day);
    return {
      day,
      webImages: Number(r?.webImages ?? 0),
      apiImages: Number(r?.apiImages ?? 0),
      appsImages: Number(r?.appsImages ?? 0),
      webUnits: Number(r?.webUnits ?? 0),
      apiUnits: Number(r?.apiUnits ?? 0),
      appsUnits: Number(r?.appsUnits ?? 0),
      failures: Number(r?.failures ?? 0),
    };
  });

  const top = await db
    .select({
      userId: usageEvents.userId,
      email: users.email,
      images: sql<number>`count(*)::int`,
      units: sql<number>`coalesce(sum(${usageEvents.units}), 0)::int`,
    })
    .from(usageEvents)
    .innerJoin(users, eq(users.id, usageEvents.userId))
    .where(and(where, eq(usageEvents.ok, true)))
    .groupBy(usageEvents.userId, users.email)
    .orderBy(sql`coalesce(sum(${usageEvents.units}), 0) desc`, sql`count(*) desc`, users.email)
    .limit(opts.topUsers ?? 10);

  const [active] = await db
    .select({ n: sql<number>`count(distinct ${usageEvents.userId})::int` })
    .from(usageEvents)
    .where(where);

  const byCode = await db
    .select({
      errorCode: sql<string>`coalesce(${usageEvents.errorCode}, 'unknown')`,
      count: sql<number>`count(*)::int`,
    })
    .from(usageEvents)
    .where(and(where, eq(usageEvents.ok, false)))
    .groupBy(sql`coalesce(${usageEvents.errorCode}, 'unknown')`)
    .orderBy(sql`count(*) desc`);

  const recent = await db
    .select({
      id: usageEvents.id,
      at: usageEvents.createdAt,
      email: users.email,
      channel: usageEvents.channel,
      kind: usageEvents.kind,
      errorCode: usageEvents.errorCode,
    })
    .from(usageEvents)
    .innerJoin(users, eq(users.id, usageEvents.userId))
    .where(and(where, eq(usageEvents.ok, false)))
    .orderBy(desc(usageEvents.createdAt), desc(usageEvents.id))
    .limit(opts.failures ?? 20);

  return {
    days,
    totals: {
      images: days.reduce((s, d) => s + d.webImages + d.apiImages + d.appsImages, 0),
      units: days.reduce((s, d) => s + d.webUnits + d.apiUnits + d.appsUnits, 0),
      failures: days.reduce((s, d) => s + d.failures, 0),
      activeUsers: Number(active?.n ?? 0),
    },
    topUsers: top.map((t) => ({ ...t, images: Number(t.images), units: Number(t.units) })),
    failuresByCode: byCode.map((c) => ({ errorCode: c.errorCode, count: Number(c.count) })),
    recentFailures: recent.map((r) => ({ ...r, id: String(r.id) })),
  };
}
