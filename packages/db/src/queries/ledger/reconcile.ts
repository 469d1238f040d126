/**
 * The ledger's self-check: `lots.remaining` and each captured hold's charge are caches, and this
 * recomputes both from the append-only entries, reporting every difference as drift.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../client';
import { holds, ledgerEntries, lots } from '../../schema';

export interface Drift {
  /** The owner: a person (userId) or a team (teamId); a hold's drift names its person. */
  userId: string | null;
  teamId: string | null;
  lotId: string | null;
  holdId: string | null;
  problem: string;
  cachedUnits: number;
  derivedUnits: number;
}

/** What reconcile() checked, and every difference it found (none when `ok`). */
export interface ReconcileResult {
  ok: boolean;
  lotsChecked: number;
  holdsChecked: number;
  drift: Drift[];
}

/**
 * Recomputes every lot's balance (people's and teams' alike) from its entries and active holds, and
 * every captured hold's charge; also checks each entry is written to its lot's owner and each hold's
 * team units match its allocations on that team's lots.
 */
export function reconcile(db: Db): Promise<ReconcileResult> {
  return db.transaction(
    async (tx) => {
      const allLots = await tx.select().from(lots);
      const sums = await tx
        .select({ lotId: ledgerEntries.lotId, total: sql<number>`sum(${ledgerEntries.delta})::int` })
        .from(ledgerEntries)
        .groupBy(ledgerEntries.lotId);
      const allHolds = await tx.select().from(holds);
      const charges = await tx
        .select({ holdId: ledgerEntries.holdId, total: sql<number>`sum(${ledgerEntries.delta})::int` })
        .from(ledgerEntries)
        .where(eq(ledgerEntries.type, 'charge'))
        .groupBy(ledgerEntries.holdId);

      const entryTotal = new Map(sums.map((s) => [s.lotId, Number(s.total)]));
      const heldOnLot = new Map<string, number>();
      for (const h of allHolds) {
        if (h.status !== 'held') continue;
        for (const a of h.allocations) heldOnLot.set(a.lotId, (heldOnLot.get(a.lotId) ?? 0) + a.units);
      }
      const drift: Drift[] = [];
      for (const lot of allLots) {
        const derived = (entryTotal.get(lot.id) ?? 0) - (heldOnLot.get(lot.id) ?? 0);
        if (derived !== lot.remaining)
          drift.push({
            userId: lot.userId,
            teamId: lot.teamId,
            lotId: lot.id,
            holdId: null,
            problem: 'lot remaining differs from its entries minus active holds',
            cachedUnits: lot.remaining,
            derivedUnits: derived,
          });
        else if (derived < 0)
          drift.push({
            userId: lot.userId,
            teamId: lot.teamId,
            lotId: lot.id,
            holdId: null,
            problem: 'lot balance is negative',
            cachedUnits: lot.remaining,
            derivedUnits: derived,
          });
      }
      const charged = new Map(charges.map((c) => [c.holdId, -Number(c.total)]));
      for (const h of allHolds) {
        const expected = h.status === 'captured' ? (h.capturedUnits ?? 0) : 0;
        const actual = charged.get(h.id) ?? 0;
        if (expected !== actual)
          drift.push({
            userId: h.userId,
            teamId: h.teamId,
            lotId: null,
            holdId: h.id,
            problem: `a ${h.status} hold's charges differ from what it captured`,
            cachedUnits: expected,
            derivedUnits: actual,
          });
      }
      // Each entry belongs to its lot's owner (a team's lot: the team; a person's: the person).
      const misowned = await tx
        .select({ id: ledgerEntries.id, lotId: ledgerEntries.lotId, userId: lots.userId, teamId: lots.teamId })
        .from(ledgerEntries)
        .innerJoin(lots, eq(lots.id, ledgerEntries.lotId))
        .where(
          sql`${ledgerEntries.userId} is distinct from ${lots.userId} or ${ledgerEntries.teamId} is distinct from ${lots.teamId}`,
        );
      for (const m of misowned)
        drift.push({
          userId: m.userId,
          teamId: m.teamId,
          lotId: m.lotId,
          holdId: null,
          problem: `ledger entry ${m.id} is written to another owner than its lot's`,
          cachedUnits: 0,
          derivedUnits: 0,
        });
      // A hold's team units are exactly its allocations on its team's lots.
      const lotById = new Map(allLots.map((l) => [l.id, l]));
      for (const h of allHolds) {
        const onTeam = h.allocations.reduce((sum, a) => {
          const lot = lotById.get(a.lotId);
          return lot?.teamId && lot.teamId === h.teamId ? sum + a.units : sum;
        }, 0);
        const onOtherTeams = h.allocations.some((a) => {
          const lot = lotById.get(a.lotId);
          return lot?.teamId && lot.teamId !== h.teamId;
        });
        if (onTeam !== h.teamUnits || onOtherTeams)
          drift.push({
            userId: h.userId,
            teamId: h.teamId,
            lotId: null,
            holdId: h.id,
            problem: "a hold's team units differ from its allocations on its team's lots",
            cachedUnits: h.teamUnits,
            derivedUnits: onTeam,
          });
      }
      return { ok: drift.length === 0, lotsChecked: allLots.length, holdsChecked: allHolds.length, drift };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
