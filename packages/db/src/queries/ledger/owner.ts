/**
 * Who owns credits: a person or a team. Lots, plans and entries carry exactly one of user_id and
 * team_id (a check constraint says so); every ledger writer names its owner with an OwnerRef, the
 * inner files pass the resolved Owner around.
 */
import { eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** How callers name an owner: `{ userId }` (a person) or `{ teamId }` (a team). */
export type OwnerRef = { userId: string; teamId?: undefined } | { teamId: string; userId?: undefined };

export type Owner = { kind: 'user'; id: string } | { kind: 'team'; id: string };

export function ownerOf(ref: OwnerRef): Owner {
  if (ref.teamId !== undefined && ref.teamId !== null) return { kind: 'team', id: ref.teamId };
  return { kind: 'user', id: ref.userId! };
}

export const userOwner = (id: string): Owner => ({ kind: 'user', id });
export const teamOwner = (id: string): Owner => ({ kind: 'team', id });

/** The two owner columns of a row written for `owner`. */
export function ownerColumns(owner: Owner): { userId: string | null; teamId: string | null } {
  return owner.kind === 'user' ? { userId: owner.id, teamId: null } : { userId: null, teamId: owner.id };
}

/** `table.user_id = id` or `table.team_id = id`. */
export function ownedBy(table: { userId: PgColumn; teamId: PgColumn }, owner: Owner): SQL {
  return owner.kind === 'user' ? eq(table.userId, owner.id) : eq(table.teamId, owner.id);
}

/** The owner of a row with both columns (exactly one is set). */
export function ownerOfRow(row: { userId: string | null; teamId: string | null }): Owner {
  return row.teamId ? teamOwner(row.teamId) : userOwner(row.userId!);
}

export const sameOwner = (a: Owner, b: Owner) => a.kind === b.kind && a.id === b.id;
