/**
 * Which expiry a grant may carry, as one rule: PAYG credits always expire two calendar years after
 * purchase (the ledger sets that date), promo credits expire when the admin says or never, and a
 * chosen expiry must lie after the grant. The ledger applies it to every grant; the console's form
 * and the CLI ask it early, to refuse bad input before anything is opened.
 */

export const PAYG_EXPIRY_REFUSAL =
  'Pay-as-you-go credits always expire two years after purchase; leave the expiry empty.';
export const PAST_EXPIRY_REFUSAL = 'The expiry date must be in the future.';

/** Only promo grants may carry an expiry chosen by the admin. */
export function mayChooseExpiry(kind: 'payg' | 'promo'): boolean {
  return kind === 'promo';
}

/** The sentence that refuses this expiry for this kind of grant at `now`, or null when it is allowed. */
export function grantExpiryProblem(
  kind: 'payg' | 'promo',
  expiresAt: Date | null | undefined,
  now: Date,
): string | null {
  if (!expiresAt) return null;
  if (!mayChooseExpiry(kind)) return PAYG_EXPIRY_REFUSAL;
  if (expiresAt.getTime() <= now.getTime()) return PAST_EXPIRY_REFUSAL;
  return null;
}
