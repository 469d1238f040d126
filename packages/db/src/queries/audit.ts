import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { auditLog, type AuditEntry } from '../schema';

/** Records an admin action. actorId null means the admin CLI (an operator with database access). */
export async function writeAudit(
  db: Db,
  input: {
    actorId: string | null;
    action: string;
    targetUserId?: string | null;
    note?: string | null;
    details?: Record<string, unknown> | null;
    now?: Date;
  },
): Promise<AuditEntry> {
  const [row] = await db
    .insert(auditLog)
    .values({
      actorId: input.actorId,
      action: input.action,
      targetUserId: input.targetUserId ?? null,
      note: input.note ?? null,
      details: input.details ?? null,
      ...(input.now ? { createdAt: input.now } : {}),
    })
    .returning();
  return row!;
}

/** Newest first; `beforeId` pages backwards. */
export async function listAudit(
  db: Db,
  opts: { limit?: number; beforeId?: number; targetUserId?: string; actorId?: string; action?: string } = {},
): Promise<AuditEntry[]> {
  const conditions: SQL[] = [];
  if (opts.beforeId !== undefined) conditions.push(lt(auditLog.id, opts.beforeId));
  if (opts.targetUserId) conditions.push(eq(auditLog.targetUserId, opts.targetUserId));
  if (opts.actorId) conditions.push(eq(auditLog.actorId, opts.actorId));
  if (opts.action) conditions.push(eq(auditLog.action, opts.action));
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(opts.limit ?? 100);
}
