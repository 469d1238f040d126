/**
 * How many procedure calls one tRPC request may carry. The server runs a batch's calls all at
 * once, so without a bound one request (a 1 MB body, or a long URL) could start thousands of
 * sign-ups (a password hash each) or listings; the browser's batch link splits at the same number,
 * so the app itself never meets the refusal.
 */
export const TRPC_MAX_BATCH = 20;

/** The refusal of a larger batch, counted as tRPC counts calls (the comma-separated paths). */
export function batchTooLargeMessage(calls: number): string {
  return `A request may carry at most ${TRPC_MAX_BATCH} calls; this one carried ${calls}.`;
}
