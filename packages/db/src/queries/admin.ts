/**
 * Read models for the admin console: a person's or a team's lots, a user's holds and images, the
 * images contributed for quality improvement, and the audit log with names. Balances and plans are not computed
 * here — they come from ./ledger's `balance`, which applies @bgr/credits.
 */
import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import { auditLog, holds, imageEdits, images, improvementSubmissions, lots, users } from '../schema';
import { type OwnerRef, ownedBy, ownerOf } from './ledger/owner';

/** Runs `fn` in one transaction: an admin change and its audit entry are recorded together or not at all. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db));
}

export type LotView = {
  id: string;
  kind: 'subscription' | 'rollover' | 'payg' | 'promo';
  amount: number;
  remaining: number;
  effectiveAt: Date;
  expiresAt: Date | null;
  note: string | null;
  createdAt: Date;
  /** 'live' (usable now), 'pending' (effective later), 'expired' or 'used'. */
  state: 'live' | 'pending' | 'expired' | 'used';
};

/** Every lot of the owner (a person or a team), newest first, with its state at `now`. */
export async function listLots(db: Db, opts: OwnerRef & { now?: Date; limit?: number }): Promise<LotView[]> {
  const now = (opts.now ?? new Date()).getTime();
  const rows = await db
    .select()
    .from(lots)
    .where(ownedBy(lots, ownerOf(opts)))
    .orderBy(desc(lots.createdAt), desc(lots.id))
    .limit(opts.limit ?? 200);
  return rows.map((l) => ({
    id: l.id,
    kind: l.kind,
    amount: l.amount,
    remaining: l.remaining,
    effectiveAt: l.effectiveAt,
    expiresAt: l.expiresAt,
    note: l.note,
    createdAt: l.createdAt,
    state:
      l.expiresAt && l.expiresAt.getTime() <= now
        ? 'expired'
        : l.effectiveAt.getTime() > now
          ? 'pending'
          : l.remaining === 0
            ? 'used'
            : 'live',
  }));
}

export async function listUserHolds(db: Db, opts: { userId: string; limit?: number }) {
  return db
    .select({
      id: holds.id,
      key: holds.key,
      units: holds.units,
      capturedUnits: holds.capturedUnits,
      status: holds.status,
      createdAt: holds.createdAt,
      settledAt: holds.settledAt,
    })
    .from(holds)
    .where(eq(holds.userId, opts.userId))
    .orderBy(desc(holds.createdAt))
    .limit(opts.limit ?? 50);
}

export async function listUserImages(db: Db, opts: { userId: string; limit?: number }) {
  return db
    .select({
      id: images.id,
      originalName: images.originalName,
      width: images.width,
      height: images.height,
      bytes: images.bytes,
      source: images.source,
      status: images.status,
      consentImprove: images.consentImprove,
      hdAt: images.hdAt,
      createdAt: images.createdAt,
      /** The person painted erase/restore strokes on it (image_edits). */
      edited: sql<boolean>`${imageEdits.imageId} is not null`.mapWith(Boolean),
    })
    .from(images)
    .leftJoin(imageEdits, eq(imageEdits.imageId, images.id))
    .where(eq(images.userId, opts.userId))
    .orderBy(desc(images.createdAt))
    .limit(opts.limit ?? 50);
}

export type ImprovementItem = {
  /** `sub:<id>` for API /improve submissions, `img:<id>` for web images with consent. */
  id: string;
  origin: 'api-improve' | 'web-consent';
  userId: string;
  userEmail: string;
  filename: string;
  storageKey: string;
  tag: string | null;
  createdAt: Date;
};

/** When improvement images were contributed: from `from` (inclusive) to `before` (exclusive); either may be open. */
export type CreatedRange = { from?: Date; before?: Date };

function createdWithin(column: PgColumn, range: CreatedRange = {}): SQL[] {
  const conditions: SQL[] = [];
  if (range.from) conditions.push(gte(column, range.from));
  if (range.before) conditions.push(lt(column, range.before));
  return conditions;
}

/**
 * Images people allowed us to use for quality improvements: API `/improve` submissions and web
 * uploads whose owner gave consent (consent can be withdrawn, so it is read at list time), newest
 * first, only those contributed within `range` when one is given.
 */
export async function listImprovementImages(
  db: Db,
  opts: { limit?: number; range?: CreatedRange } = {},
): Promise<ImprovementItem[]> {
  const limit = opts.limit ?? 100;
  const [subs, consented] = await Promise.all([
    db
      .select({
        id: improvementSubmissions.id,
        userId: improvementSubmissions.userId,
        userEmail: users.email,
        filename: improvementSubmissions.filename,
        storageKey: improvementSubmissions.storageKey,
        tag: improvementSubmissions.tag,
        createdAt: improvementSubmissions.createdAt,
      })
      .from(improvementSubmissions)
      .innerJoin(users, eq(users.id, improvementSubmissions.userId))
      .where(and(...createdWithin(improvementSubmissions.createdAt, opts.range)))
      .orderBy(desc(improvementSubmissions.createdAt))
      .limit(limit),
    db
      .select({
        id: images.id,
        userId: images.userId,
        userEmail: users.email,
        filename: images.originalName,
        storageKey: images.storageKey,
        createdAt: images.createdAt,
      })
      .from(images)
      .innerJoin(users, eq(users.id, images.userId))
      .where(and(eq(images.consentImprove, true), ...createdWithin(images.createdAt, opts.range)))
      .orderBy(desc(images.createdAt))
      .limit(limit),
  ]);
  const items: ImprovementItem[] = [
    ...subs.map((s) => ({ ...s, id: `sub:${s.id}`, origin: 'api-improve' as const })),
    ...consented.map((i) => ({ ...i, id: `img:${i.id}`, origin: 'web-consent' as const, tag: null })),
  ];
  items.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  return items.slice(0, limit);
}

/** Count of improvement images (both origins), within `range` when one is given, for the console's summary. */
export async function countImprovements(db: Db, range?: CreatedRange): Promise<number> {
  const [a] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(improvementSubmissions)
    .where(and(...createdWithin(improvementSubmissions.createdAt, range)));
  const [b] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(images)
    .where(and(eq(images.consentImprove, true), ...createdWithin(images.createdAt, range)));
  return Number(a?.n ?? 0) + Number(b?.n ?? 0);
}

export type AuditView = {
  id: number;
  at: Date;
  action: string;
  note: string | null;
  details: Record<string, unknown> | null;
  actorId: string | null;
  /** null actor: the admin CLI (an operator with database access). */
  actorEmail: string | null;
  targetUserId: string | null;
  targetEmail: string | null;
};

/** The audit log with the people's emails, newest first. */
export async function listAuditView(
  db: Db,
  opts: { limit?: number; beforeId?: number; targetUserId?: string } = {},
): Promise<AuditView[]> {
  const actor = alias(users, 'actor');
  const target = alias(users, 'target');
  const conditions = [];
  if (opts.beforeId !== undefined) conditions.push(lt(auditLog.id, opts.beforeId));
  if (opts.targetUserId) conditions.push(eq(auditLog.targetUserId, opts.targetUserId));
  return db
    .select({
      id: auditLog.id,
      at: auditLog.createdAt,
      action: auditLog.action,
      note: auditLog.note,
      details: auditLog.details,
      actorId: auditLog.actorId,
      actorEmail: actor.email,
      targetUserId: auditLog.targetUserId,
      targetEmail: target.email,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorId))
    .leftJoin(target, eq(target.id, auditLog.targetUserId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(opts.limit ?? 100);
}
