/** 1 credit = 4 units; the ledger only ever stores integer units (quarter credits). */
export const UNITS_PER_CREDIT = 4;

/** Converts credits (a multiple of 0.25) to integer units; anything else is a caller bug. */
export function creditsToUnits(credits: number): number {
  const units = credits * UNITS_PER_CREDIT;
  if (!Number.isFinite(units) || !Number.isInteger(units)) {
    throw new Error(`Credits must be a multiple of 0.25, got ${credits}.`);
  }
  return units;
}

export function unitsToCredits(units: number): number {
  if (!Number.isInteger(units)) throw new Error(`Units must be an integer, got ${units}.`);
  return units / UNITS_PER_CREDIT;
}

/** Throws unless `units` is a positive (or, with allowZero, non-negative) safe integer. */
export function assertUnits(units: number, allowZero = false): void {
  if (!Number.isSafeInteger(units) || units < 0 || (!allowZero && units === 0)) {
    throw new Error(`Units must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${units}.`);
  }
}
