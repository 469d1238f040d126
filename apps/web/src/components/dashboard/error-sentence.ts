/**
 * The sentence to show for a failed tRPC call: the first validation message when the input was
 * refused (the error formatter lists them), else the server's own message, else a generic one.
 */
export function errorSentence(err: unknown): string {
  const e = err as { message?: unknown; data?: { zodError?: unknown; code?: unknown } | null } | null;
  const zod = e?.data?.zodError;
  if (Array.isArray(zod) && typeof zod[0] === 'string' && zod[0]) return zod[0];
  if (e?.data?.code === 'INTERNAL_SERVER_ERROR') return 'Something went wrong on the server. Please try again.';
  const msg = typeof e?.message === 'string' ? e.message : '';
  if (msg && !msg.trim().startsWith('[') && !msg.trim().startsWith('{') && !msg.includes('\n')) return msg;
  return 'That did not work. Please check the form and try again.';
}
