import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { creditsToUnits, maxPriceUnits, priceUnits, unitsToCredits, API_SIZES } from '../src/index';

describe('units', () => {
  it('converts credits in 0.25 steps and refuses anything finer', () => {
    expect(creditsToUnits(1)).toBe(4);
    expect(creditsToUnits(0.25)).toBe(1);
    expect(creditsToUnits(42.75)).toBe(171);
    expect(() => creditsToUnits(0.1)).toThrow(/multiple of 0.25/);
    expect(() => creditsToUnits(Number.NaN)).toThrow();
    expect(unitsToCredits(6)).toBe(1.5);
  });
  it('round-trips every integer number of units', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (u) => creditsToUnits(unitsToCredits(u)) === u),
      { numRuns: 200 },
    );
  });
});

describe('prices', () => {
  it('follows the published price list', () => {
    expect(priceUnits('web', 'preview')).toBe(0);
    expect(priceUnits('web', 'hd')).toBe(4);
    for (const s of ['preview', 'small', 'regular']) expect(priceUnits('api', s)).toBe(1);
    for (const s of ['full', '4k', '50MP', 'hd', 'medium'])
      expect(priceUnits('api', s, { width: 10, height: 10 })).toBe(4);
    expect(() => priceUnits('api', 'huge')).toThrow(/Unknown api size/);
  });
  it('prices auto by the produced output: ≤ 0.25 MP is a preview', () => {
    expect(priceUnits('api', 'auto', { width: 500, height: 500 })).toBe(1);
    expect(priceUnits('api', 'auto', { width: 625, height: 400 })).toBe(1);
    expect(priceUnits('api', 'auto', { width: 501, height: 500 })).toBe(4);
    expect(() => priceUnits('api', 'auto')).toThrow();
  });
  it('never reserves less than it will charge', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...API_SIZES),
        fc.integer({ min: 1, max: 10000 }),
        fc.integer({ min: 1, max: 10000 }),
        (size, width, height) => {
          expect(priceUnits('api', size, { width, height })).toBeLessThanOrEqual(maxPriceUnits('api', size));
        },
      ),
      { numRuns: 200 },
    );
    expect(maxPriceUnits('api', 'auto')).toBe(4);
    expect(maxPriceUnits('web', 'preview')).toBe(0);
  });
});
