import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonthsClamped, daysInMonth, paygExpiry, periodContaining } from '../src/index';

const d = (s: string) => new Date(s);
const dateArb = fc.date({ min: d('2000-01-01T00:00:00Z'), max: d('2090-12-31T00:00:00Z'), noInvalidDate: true });

describe('monthly periods', () => {
  it('started on the 31st renews on the last day of short months without drifting', () => {
    const anchor = d('2027-01-31T10:00:00Z');
    const ends = [1, 2, 3, 4, 5, 6].map((k) => addMonthsClamped(anchor, k).toISOString().slice(0, 10));
    expect(ends).toEqual(['2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30', '2027-07-31']);
    expect(addMonthsClamped(d('2028-01-30T00:00:00Z'), 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('every renewal is on the anchor day, clamped to the month end, at the anchor time', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 400 }), (anchor, k) => {
        const r = addMonthsClamped(anchor, k);
        const months = (r.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + r.getUTCMonth() - anchor.getUTCMonth();
        expect(months).toBe(k);
        expect(r.getUTCDate()).toBe(Math.min(anchor.getUTCDate(), daysInMonth(r.getUTCFullYear(), r.getUTCMonth())));
        expect(r.getTime() % 86_400_000).toBe(anchor.getTime() % 86_400_000);
      }),
      { numRuns: 200 },
    );
  });

  it('periodContaining finds the one period holding the instant', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 20 * 366 * 86_400_000 }), (anchor, offset) => {
        const at = new Date(anchor.getTime() + offset);
        const p = periodContaining(anchor, at);
        expect(p.start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(p.end.getTime()).toBeGreaterThan(at.getTime());
        expect(p.start.getTime()).toBe(addMonthsClamped(anchor, p.index).getTime());
        expect(p.end.getTime()).toBe(addMonthsClamped(anchor, p.index + 1).getTime());
      }),
      { numRuns: 200 },
    );
  });
});

describe('PAYG expiry', () => {
  it('is two calendar years later, clamped on 29 February', () => {
    expect(paygExpiry(d('2028-02-29T12:00:00Z')).toISOString()).toBe('2030-02-28T12:00:00.000Z');
    expect(paygExpiry(d('2027-09-15T00:00:00Z')).toISOString()).toBe('2029-09-15T00:00:00.000Z');
  });
});
