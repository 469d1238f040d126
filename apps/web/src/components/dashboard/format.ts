/** Display helpers for the dashboard and admin pages (credits come from the ledger as integer units). */
import { formatCredits, formatCreditsNumber, unitsToCredits } from '@bgr/credits';

/** 6 units → "1.5", 1 unit → "0.25" (the ledger's integer units, read as credits). */
export function creditsNumber(units: number): string {
  return formatCreditsNumber(unitsToCredits(units));
}

/** 4 units → "1 credit", 6 → "1.5 credits". */
export function creditsText(units: number): string {
  return formatCredits(unitsToCredits(units));
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
