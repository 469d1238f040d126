/** The grant-expiry rule, asked by the ledger, the console and the CLI alike. */
import { describe, expect, it } from 'vitest';
import { grantExpiryProblem } from '../src/grants';

const now = new Date('2030-01-01T00:00:00Z');

describe('grantExpiryProblem', () => {
  it('allows no expiry for either kind, and a future one for promo', () => {
    expect(grantExpiryProblem('payg', undefined, now)).toBeNull();
    expect(grantExpiryProblem('payg', null, now)).toBeNull();
    expect(grantExpiryProblem('promo', null, now)).toBeNull();
    expect(grantExpiryProblem('promo', new Date(now.getTime() + 1), now)).toBeNull();
  });

  it('refuses any chosen PAYG expiry, and a promo expiry at or before the grant, in one sentence', () => {
    expect(grantExpiryProblem('payg', new Date('2040-01-01T00:00:00Z'), now)).toBe(
      'Pay-as-you-go credits always expire two years after purchase; leave the expiry empty.',
    );
    expect(grantExpiryProblem('promo', now, now)).toBe('The expiry date must be in the future.');
    expect(grantExpiryProblem('promo', new Date(now.getTime() - 1), now)).toBe(
      'The expiry date must be in the future.',
    );
  });
});
