/** Display helpers for the dashboard and admin pages (credits come from the ledger as integer units). */
import { unitsToCredits } from '@bgr/credits';

/** 6 units → "1.5", 1 unit → "0.25". */
export function creditsNumber(units: number): string {
  const c = unitsToCredits(units);
  return Number.isInteger(c)
    ? c.toLocaleString('en-GB')
    : c.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** 4 units → "1 credit", 6 → "1.5 credits". */
export function creditsText(units: number): string {
  return `${creditsNumber(units)} ${units === 4 ? 'credit' : 'credits'}`;
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function formatDateTime(d: Date | string): string {
  return dateTime.format(new Date(d));
}

export function formatDate(d: Date | string): string {
  return dateOnly.format(new Date(d));
}

export const BUCKET_LABELS = {
  subscription: 'Subscription',
  rollover: 'Rollover',
  payg: 'Pay-as-you-go',
  promo: 'Promo',
} as const;
