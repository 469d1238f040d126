/**
 * The row locks every writer takes first: the person's (`SELECT … FROM users FOR UPDATE`) or the
 * team's (`… FROM teams FOR UPDATE`), so all writers for an owner are serialised; the lock also
 * applies the owner's due renewals before the write. A member's charge or settlement locks the
 * person first and then their team — always in that order (person → team), so two members charging
 * one team at once wait for each other instead of deadlocking or overdrawing the pool.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../client';
import { teams, users } from '../../schema';
import { LedgerError } from './errors';
import { type Owner, userOwner } from './owner';
import { applyDueRenewals } from './renewals';

export async function lockUser(tx: Db, userId: string): Promise<void> {
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
  if (!row) throw new LedgerError('user_not_found', 'No such user.');
}

export async function lockTeam(tx: Db, teamId: string): Promise<void> {
  const [row] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for('update');
  if (!row) throw new LedgerError('team_not_found', 'No such team.');
}

export function lockOwner(tx: Db, owner: Owner): Promise<void> {
  return owner.kind === 'user' ? lockUser(tx, owner.id) : lockTeam(tx, owner.id);
}

/** Locks a team inside a transaction that already holds one of its members (person → team) and applies its due renewals. */
export async function lockTeamAfterUser(tx: Db, teamId: string, now: Date): Promise<void> {
  await lockTeam(tx, teamId);
  await applyDueRenewals(tx, { kind: 'team', id: teamId }, now);
}

/** Runs `fn` in a short transaction holding the owner's row lock, after applying due renewals. */
export function withOwnerLock<T>(db: Db, owner: Owner, now: Date, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await lockOwner(tx, owner);
    await applyDueRenewals(tx, owner, now);
    return fn(tx);
  });
}

/**
 * Runs `fn` in a short transaction holding the user's row lock, after applying due renewals.
 * Exported for charge.ts (the one charging path), which reserves and records its idempotency key
 * in one transaction.
 */
export function withUserLock<T>(db: Db, userId: string, now: Date, fn: (tx: Db) => Promise<T>): Promise<T> {
  return withOwnerLock(db, userOwner(userId), now, fn);
}
