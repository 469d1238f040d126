/**
 * How an amount of credits reads, everywhere people see one (header, dashboard, dialogs, error
 * sentences): whole numbers plain, quarters with up to two decimals, thousands grouped.
 */

/** 12 → "12", 1.5 → "1.5", 0.25 → "0.25", 1234 → "1,234". */
export function formatCreditsNumber(credits: number): string {
  return credits.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}

/** "credit" for exactly one, "credits" otherwise (0.25 credits, 2 credits). */
export function creditsWord(credits: number): 'credit' | 'credits' {
  return credits === 1 ? 'credit' : 'credits';
}

/** "1 credit", "0.25 credits", "12 credits". */
export function formatCredits(credits: number): string {
  return `${formatCreditsNumber(credits)} ${creditsWord(credits)}`;
}
