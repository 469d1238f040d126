/**
 * The two things every ledger write touches, inside the caller's transaction: append-only entries,
 * and `lots.remaining`, the cached Σ entries − active hold allocations that reconcile() checks.
 */
import type { LotKind, Take } from '@bgr/credits';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../client';
import { type EntryType, ledgerEntries, type LotRow, lots } from '../../schema';
import { type Owner, ownerColumns } from './owner';

export async function adjustLots(tx: Db, takes: readonly Take[], sign: 1 | -1): Promise<void> {
  for (const t of takes) {
    await tx
      .update(lots)
      .set({ remaining: sql`${lots.remaining} + ${sign * t.units}` })
      .where(eq(lots.id, t.lotId));
  }
}

export interface EntryDraft {
  lotId: string;
  type: EntryType;
  delta: number;
  at: Date;
  holdId?: string | null;
  note?: string | null;
  actorId?: string | null;
}

/** Entries on `owner`'s lots (a person's or a team's). */
export async function writeEntries(tx: Db, owner: Owner, drafts: EntryDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  const who = ownerColumns(owner);
  await tx.insert(ledgerEntries).values(
    drafts.map((d) => ({
      ...who,
      lotId: d.lotId,
      type: d.type,
      delta: d.delta,
      at: d.at,
      holdId: d.holdId ?? null,
      note: d.note ?? null,
      actorId: d.actorId ?? null,
    })),
  );
}

/** A lot to create: its kind, size and validity. */
export interface LotDraft {
  kind: LotKind;
  amount: number;
  effectiveAt: Date;
  expiresAt: Date | null;
}

/** The entry that brings a new lot's units into the ledger. */
export interface LotEntry {
  type: EntryType;
  note?: string | null;
  actorId?: string | null;
}

export async function insertLot(
  tx: Db,
  owner: Owner,
  draft: LotDraft,
  entry: LotEntry,
  subscriptionId: string | null,
): Promise<LotRow> {
  const [row] = await tx
    .insert(lots)
    .values({
      ...ownerColumns(owner),
      kind: draft.kind,
      amount: draft.amount,
      remaining: draft.amount,
      effectiveAt: draft.effectiveAt,
      expiresAt: draft.expiresAt,
      subscriptionId,
      note: entry.note ?? null,
    })
    .returning();
  await writeEntries(tx, owner, [
    {
      lotId: row!.id,
      type: entry.type,
      delta: draft.amount,
      at: draft.effectiveAt,
      note: entry.note,
      actorId: entry.actorId,
    },
  ]);
  return row!;
}
