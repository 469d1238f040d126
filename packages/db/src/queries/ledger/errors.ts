/**
 * The ledger's refusals: one error class with a code callers map to an answer (tRPC, the CLI, the
 * admin actions) and a sentence for people. The input checks every writer makes live here too, so
 * each refusal is worded once.
 */
import { assertUnits as assertUnitsRule } from '@bgr/credits';

export type LedgerErrorCode =
  | 'user_not_found'
  | 'team_not_found'
  | 'invalid_units'
  | 'invalid_key'
  | 'invalid_expiry'
  | 'hold_not_found'
  | 'hold_released'
  | 'hold_captured'
  | 'no_subscription'
  | 'subscription_exists';

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

/**
 * @bgr/credits' units rule (a positive, or with allowZero non-negative, safe integer), refused as a
 * LedgerError 'invalid_units' with a sentence for people instead of the rule's plain Error.
 */
export function assertUnits(units: number, allowZero: boolean): void {
  try {
    assertUnitsRule(units, allowZero);
  } catch {
    throw new LedgerError(
      'invalid_units',
      `The amount must be a ${allowZero ? 'non-negative' : 'positive'} whole number of units, got ${units}.`,
    );
  }
}

/** A hold key (the caller's idempotency key) is 1 to 255 characters. */
export function assertKey(key: string): void {
  if (!key || key.length > 255)
    throw new LedgerError('invalid_key', 'The idempotency key must be 1 to 255 characters.');
}
