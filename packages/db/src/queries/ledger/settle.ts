/**
 * Settling a hold: captured (charged, in full or in part) or released, each once; the units not
 * charged go back to their lots, or carry or expire when the lot's period closed meanwhile. A hold
 * that drew on a team settles against that team's lots even if the person has left it since (holds
 * finish where they were taken); its team is locked after the person.
 */
import { planReturn, splitAllocations, type Take } from '@bgr/credits';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../client';
import { holds, lots } from '../../schema';
import { assertUnits, LedgerError } from './errors';
import type { Hold } from './holds';
import { type Owner, sameOwner } from './owner';
import { activeSubscription, loadLots, lotOwners, toLot, toSubscription } from './rows';
import { lockTeamAfterUser, withUserLock } from './user-lock';
import { adjustLots, insertLot, writeEntries } from './writes';

export interface CaptureInput {
  holdId: string;
  units?: number;
  now?: Date;
}

export interface ReleaseInput {
  holdId: string;
  now?: Date;
}

/** Runs `fn` on the hold under its user's lock (renewals applied); an unknown id is refused. */
export async function settleHold(
  db: Db,
  holdId: string,
  now: Date,
  fn: (tx: Db, hold: Hold) => Promise<Hold>,
): Promise<Hold> {
  const [found] = await db.select({ userId: holds.userId }).from(holds).where(eq(holds.id, holdId));
  if (!found) throw new LedgerError('hold_not_found', 'No such hold.');
  return withUserLock(db, found.userId, now, async (tx) => {
    const [hold] = await tx.select().from(holds).where(eq(holds.id, holdId));
    if (hold!.teamId) await lockTeamAfterUser(tx, hold!.teamId, now);
    return fn(tx, hold!);
  });
}

/**
 * Charges a hold. `units` (default: all) may be less than was held — e.g. size=auto turned out to be
 * a preview — and the rest goes back to the lots it came from. Capturing twice is harmless;
 * capturing a released hold fails.
 */
export function capture(db: Db, input: CaptureInput): Promise<Hold> {
  const now = input.now ?? new Date();
  if (input.units !== undefined) assertUnits(input.units, true);
  return settleHold(db, input.holdId, now, async (tx, hold) => {
    if (hold.status === 'captured') return hold;
    if (hold.status === 'released')
      throw new LedgerError('hold_released', 'This hold was released and can no longer be charged.');
    const units = input.units ?? hold.units;
    if (units > hold.units)
      throw new LedgerError('invalid_units', `Cannot capture ${units} units from a hold of ${hold.units}.`);
    const { charged, returned } = splitAllocations(hold.allocations, units);
    for (const [owner, takes] of byOwner(
      await lotOwners(
        tx,
        charged.map((c) => c.lotId),
      ),
      charged,
    ))
      await writeEntries(
        tx,
        owner,
        takes.map((c) => ({ lotId: c.lotId, type: 'charge' as const, delta: -c.units, at: now, holdId: hold.id })),
      );
    await giveBack(tx, hold, returned, now);
    const [row] = await tx
      .update(holds)
      .set({ status: 'captured', capturedUnits: units, settledAt: now })
      .where(eq(holds.id, hold.id))
      .returning();
    return row!;
  });
}

/** Takes grouped by their lot's owner, in the order the owners first appear. */
function byOwner(owners: Map<string, Owner>, takes: readonly Take[]): [Owner, Take[]][] {
  const groups: [Owner, Take[]][] = [];
  for (const t of takes) {
    const owner = owners.get(t.lotId);
    if (!owner) throw new LedgerError('hold_not_found', 'A lot this hold drew from no longer exists.');
    const group = groups.find(([o]) => sameOwner(o, owner));
    if (group) group[1].push(t);
    else groups.push([owner, [t]]);
  }
  return groups;
}

/**
 * Units back from a hold (released, or the uncharged rest of a capture), to each lot's owner (the
 * person, or the team it drew on). A lot whose period closed while the hold was open does not get
 * them back: they carry into the owner's current period (up to the rollover cap) or expire, as the
 * renewal would have done (planReturn in @bgr/credits).
 */
async function giveBack(tx: Db, hold: Hold, returned: readonly Take[], now: Date): Promise<void> {
  if (returned.length === 0) return;
  for (const [owner, part] of byOwner(
    await lotOwners(
      tx,
      returned.map((r) => r.lotId),
    ),
    returned,
  )) {
    const ids = [...new Set(part.map((r) => r.lotId))];
    const known = new Map((await loadLots(tx, owner, now)).map((l) => [l.id, l]));
    for (const row of await tx.select().from(lots).where(inArray(lots.id, ids))) known.set(row.id, toLot(row));
    const sub = await activeSubscription(tx, owner);
    const plan = planReturn(part, [...known.values()], sub ? toSubscription(sub) : null, now);
    await adjustLots(tx, plan.restore, 1);
    await writeEntries(tx, owner, [
      ...plan.carry.map((c) => ({ lotId: c.lotId, type: 'carry' as const, delta: -c.units, at: now, holdId: hold.id })),
      ...plan.expire.map((e) => ({
        lotId: e.lotId,
        type: 'expire' as const,
        delta: -e.units,
        at: now,
        holdId: hold.id,
      })),
    ]);
    if (plan.rollover)
      await insertLot(
        tx,
        owner,
        plan.rollover,
        { type: 'rollover', note: 'carried from a hold open across a renewal' },
        sub!.id,
      );
  }
}

/** Releases a hold known to be held (inside settleHold). */
export async function releaseHeld(tx: Db, hold: Hold, now: Date): Promise<Hold> {
  await giveBack(tx, hold, hold.allocations, now);
  const [row] = await tx
    .update(holds)
    .set({ status: 'released', settledAt: now })
    .where(eq(holds.id, hold.id))
    .returning();
  return row!;
}

/** Gives a hold's units back to exactly the lots they came from. Releasing twice is harmless. */
export function release(db: Db, input: ReleaseInput): Promise<Hold> {
  const now = input.now ?? new Date();
  return settleHold(db, input.holdId, now, async (tx, hold) => {
    if (hold.status === 'released') return hold;
    if (hold.status === 'captured')
      throw new LedgerError('hold_captured', 'This hold was already charged and cannot be released.');
    return releaseHeld(tx, hold, now);
  });
}
