/**
 * Granting PAYG or promo credits from the console, to a person or a team: the input the form sends
 * and the call into @bgr/db's grant action. The form shows the expiry rule next to the date; the
 * ledger applies the whole rule (grantExpiryProblem) again.
 */
import { z } from 'zod';
import { creditsToUnits, mayChooseExpiry, PAYG_EXPIRY_REFUSAL } from '@bgr/credits';
import type { Actor } from '@bgr/db/actions/actor';
import type { Db } from '@bgr/db/client';
import { grantCreditsAction } from '@bgr/db/actions/grant-credits';
import { credits, note, forOwners, type OwnerId, ownerTarget } from './owner';

const byOwner = forOwners({
  credits,
  kind: z.enum(['payg', 'promo']),
  /** Promo only; absent = never expires. PAYG always expires two years after the grant. */
  expiresAt: z.coerce.date().optional(),
  note,
});
const expiryChoosable = (v: { kind: 'payg' | 'promo'; expiresAt?: Date }) =>
  v.expiresAt === undefined || mayChooseExpiry(v.kind);
const expiryRefusal = { message: PAYG_EXPIRY_REFUSAL, path: ['expiresAt'] };

export const grantInput = {
  user: byOwner.user.refine(expiryChoosable, expiryRefusal),
  team: byOwner.team.refine(expiryChoosable, expiryRefusal),
};

export type GrantFields = { credits: number; kind: 'payg' | 'promo'; expiresAt?: Date; note?: string };

export async function grantCredits(db: Db, actor: Actor, input: OwnerId & GrantFields) {
  const units = creditsToUnits(input.credits);
  const lot = await grantCreditsAction(db, {
    actor,
    ...ownerTarget(input),
    units,
    kind: input.kind,
    expiresAt: input.expiresAt,
    note: input.note || undefined,
  });
  return { units, expiresAt: lot.expiresAt };
}
