/** Calendar maths in UTC. Adding months keeps the anchor's day, clamped to the month's last day. */

export function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * `anchor` plus `months` calendar months. Always computed from the anchor (never from the previous
 * result), so a subscription started on the 31st renews Apr 30, May 31, Jun 30 … without drifting.
 */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const total = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month));
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

export function addYearsClamped(anchor: Date, years: number): Date {
  return addMonthsClamped(anchor, years * 12);
}

/** The monthly period (index k ≥ 0) that contains `at`: anchor+k months ≤ at < anchor+(k+1) months. */
export function periodContaining(anchor: Date, at: Date): { index: number; start: Date; end: Date } {
  const t = at.getTime();
  if (t < anchor.getTime()) throw new Error('The instant is before the period anchor.');
  let k = (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  k = Math.max(0, k);
  while (k > 0 && addMonthsClamped(anchor, k).getTime() > t) k--;
  while (addMonthsClamped(anchor, k + 1).getTime() <= t) k++;
  return { index: k, start: addMonthsClamped(anchor, k), end: addMonthsClamped(anchor, k + 1) };
}
