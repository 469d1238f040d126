/**
 * What the browser is shown of a balance: the total and its buckets, and a member's team part.
 * A person's dashboard, the admin's user and team pages and a team owner's page all show the same
 * buckets, so the projection is written once (the ledger's Balance carries more than a page needs).
 */

/** The fields every balance view shows, in units (quarter-credits). */
export interface BalanceBuckets {
  totalUnits: number;
  subscriptionUnits: number;
  rolloverUnits: number;
  paygUnits: number;
  promoUnits: number;
  heldUnits: number;
}

/** The buckets of a person's or a team's balance, nothing else. */
export function balanceBuckets(b: BalanceBuckets): BalanceBuckets {
  return {
    totalUnits: b.totalUnits,
    subscriptionUnits: b.subscriptionUnits,
    rolloverUnits: b.rolloverUnits,
    paygUnits: b.paygUnits,
    promoUnits: b.promoUnits,
    heldUnits: b.heldUnits,
  };
}

/** The team part of a member's balance: what they can draw from the team now. */
export interface TeamPart {
  name: string;
  availableUnits: number;
  capLeftUnits: number | null;
}

/** A member's team part (its total already counts it; the buckets are their own credits), or null. */
export function teamPart(team: TeamPart | null | undefined): TeamPart | null {
  return team ? { name: team.name, availableUnits: team.availableUnits, capLeftUnits: team.capLeftUnits } : null;
}
