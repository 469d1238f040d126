/**
 * The usage charts' window: the last N UTC days up to now, today included, whatever the hour, and
 * the `{ days }` input every usage procedure takes (30 when left out, 1 to 366).
 */
import { describe, expect, it } from 'vitest';
import { daysBetween } from '@bgr/db/queries/reports';
import { lastDays, USAGE_DAYS, usageDaysInput } from '~/server/usage-window';

describe('lastDays', () => {
  it('covers exactly N UTC days ending today, early or late in the day', () => {
    for (const at of ['2026-03-01T00:00:00.000Z', '2026-03-01T23:59:59.999Z']) {
      const until = new Date(at);
      const w = lastDays(USAGE_DAYS, until);
      expect(w.until).toBe(until);
      const days = daysBetween(w.since, w.until);
      expect(days).toHaveLength(30);
      expect(days[0]).toBe('2026-01-31');
      expect(days.at(-1)).toBe('2026-03-01');
    }
    const one = lastDays(1, new Date('2026-03-01T12:00:00Z'));
    expect(daysBetween(one.since, one.until)).toEqual(['2026-03-01']);
  });
});

describe('usageDaysInput', () => {
  it('is 30 days unless asked, and refuses fewer than 1 or more than 366', () => {
    expect(usageDaysInput.parse(undefined)).toEqual({ days: 30 });
    expect(usageDaysInput.parse({})).toEqual({ days: 30 });
    expect(usageDaysInput.parse({ days: 366 })).toEqual({ days: 366 });
    expect(usageDaysInput.safeParse({ days: 0 }).success).toBe(false);
    expect(usageDaysInput.safeParse({ days: 367 }).success).toBe(false);
    expect(usageDaysInput.safeParse({ days: 1.5 }).success).toBe(false);
  });
});
