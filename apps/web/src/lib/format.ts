/** "1 credit", "0.25 credits", "12 credits". */
export function formatCredits(credits: number): string {
  const n = Number.isInteger(credits) ? String(credits) : credits.toFixed(2).replace(/0$/, '');
  return `${n} ${credits === 1 ? 'credit' : 'credits'}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
