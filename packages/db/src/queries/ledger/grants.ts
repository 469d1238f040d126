/**
 * Credits added or taken by hand (an admin, the CLI, a purchase): a PAYG or promo grant, and the
 * correction that takes credits like a charge, for a person or a team (`{ userId }` or `{ teamId }`).
 * Plans add their own credits (subscriptions.ts).
 */
import { grantExpiryProblem, paygExpiry, planDrawDown, type Take } from '@bgr/credits';
import type { Db } from '../../client';
import type { LotRow } from '../../schema';
import { assertUnits, LedgerError } from './errors';
import { type OwnerRef, ownerOf } from './owner';
import { loadLots } from './rows';
import { withOwnerLock } from './user-lock';
import { adjustLots, insertLot, writeEntries } from './writes';

export type GrantInput = OwnerRef & {
  units: number;
  kind: 'payg' | 'promo';
  expiresAt?: Date | null;
  note?: string | null;
  actorId?: string | null;
  now?: Date;
};

export type DebitInput = OwnerRef & {
  units: number;
  note?: string | null;
  actorId?: string | null;
  now?: Date;
};

/** The lots a debit drew from, or the refusal (with what was available) when credits are short. */
export type DebitResult = { ok: true; takes: Take[] } | { ok: false; reason: 'insufficient'; available: number };

/** Adds credits: PAYG (expires two calendar years later) or promo (expiry chosen by the admin, or none). */
export async function grant(db: Db, input: GrantInput): Promise<LotRow> {
  const now = input.now ?? new Date();
  assertUnits(input.units, false);
  if (input.kind !== 'payg' && input.kind !== 'promo') {
    throw new LedgerError('invalid_units', `Credits can be granted as payg or promo, not ${String(input.kind)}.`);
  }
  const problem = grantExpiryProblem(input.kind, input.expiresAt, now);
  if (problem) throw new LedgerError('invalid_expiry', problem);
  const expiresAt = input.kind === 'payg' ? paygExpiry(now) : (input.expiresAt ?? null);
  const owner = ownerOf(input);
  return withOwnerLock(db, owner, now, (tx) =>
    insertLot(
      tx,
      owner,
      { kind: input.kind, amount: input.units, effectiveAt: now, expiresAt },
      { type: 'grant', note: input.note, actorId: input.actorId },
      null,
    ),
  );
}

/** A correction that takes credits like a charge (same draw-down order, no overdraft). */
export function debit(db: Db, input: DebitInput): Promise<DebitResult> {
  const now = input.now ?? new Date();
  assertUnits(input.units, false);
  const owner = ownerOf(input);
  return withOwnerLock(db, owner, now, async (tx) => {
    const plan = planDrawDown(await loadLots(tx, owner, now), input.units, now);
    if (!plan.ok) return plan;
    await writeEntries(
      tx,
      owner,
      plan.takes.map((t) => ({
        lotId: t.lotId,
        type: 'debit' as const,
        delta: -t.units,
        at: now,
        note: input.note,
        actorId: input.actorId,
      })),
    );
    await adjustLots(tx, plan.takes, -1);
    return { ok: true as const, takes: plan.takes };
  });
}
