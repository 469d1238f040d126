/**
 * A person's or a team's ledger entries as people read them (the admin's and the CLI's ledger view): newest
 * first, each with the kind of lot it touched, paged by entry id.
 */
import type { LotKind } from '@bgr/credits';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../client';
import { type EntryType, ledgerEntries, lots } from '../../schema';
import { type OwnerRef, ownedBy, ownerOf } from './owner';

export interface HistoryEntry {
  id: number;
  at: Date;
  type: EntryType;
  /** Signed change in units. */
  units: number;
  lotId: string;
  lotKind: LotKind;
  holdId: string | null;
  note: string | null;
}

/** `{ userId }` or `{ teamId }`. */
export type HistoryInput = OwnerRef & {
  limit?: number;
  beforeId?: number;
};

/** The owner's entries, newest first. */
export async function history(db: Db, input: HistoryInput): Promise<HistoryEntry[]> {
  const mine = ownedBy(ledgerEntries, ownerOf(input));
  const where = input.beforeId === undefined ? mine : and(mine, sql`${ledgerEntries.id} < ${input.beforeId}`);
  const rows = await db
    .select({
      id: ledgerEntries.id,
      at: ledgerEntries.at,
      type: ledgerEntries.type,
      units: ledgerEntries.delta,
      lotId: ledgerEntries.lotId,
      lotKind: lots.kind,
      holdId: ledgerEntries.holdId,
      note: ledgerEntries.note,
    })
    .from(ledgerEntries)
    .innerJoin(lots, eq(lots.id, ledgerEntries.lotId))
    .where(where)
    .orderBy(desc(ledgerEntries.id))
    .limit(input.limit ?? 100);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
