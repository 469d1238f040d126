/**
 * The per-user row lock (`SELECT … FROM users FOR UPDATE`) every writer takes first, so all writers
 * for a user are serialised; withUserLock also applies the due renewals before the write.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../client';
import { users } from '../../schema';
import { LedgerError } from './errors';
import { applyDueRenewals } from './renewals';

export async function lockUser(tx: Db, userId: string): Promise<void> {
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
  if (!row) throw new LedgerError('user_not_found', 'No such user.');
}

/**
 * Runs `fn` in a short transaction holding the user's row lock, after applying due renewals.
 * Exported for charge.ts (the one charging path), which reserves and records its idempotency key
 * in one transaction.
 */
export function withUserLock<T>(db: Db, userId: string, now: Date, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await lockUser(tx, userId);
    await applyDueRenewals(tx, userId, now);
    return fn(tx);
  });
}
