/** Builds tRPC callers the way the route handler does, for a given (or no) signed-in user, and reads what a call refused. */
import { TRPCError } from '@trpc/server';
import type { Session } from 'next-auth';
import type { Db } from '@bgr/db/client';
import { createCaller } from '~/server/api/root';
import { createTRPCContext } from '~/server/api/trpc';

export function sessionFor(user: { id: string; email: string; role?: string } | null): Session | null {
  if (!user) return null;
  return {
    user: { id: user.id, email: user.email, role: user.role === 'admin' ? 'admin' : 'user' },
    expires: new Date(Date.now() + 3600_000).toISOString(),
  };
}

export async function callerFor(db: Db, user: { id: string; email: string; role?: string } | null) {
  return createCaller(await createTRPCContext({ db, headers: new Headers(), session: sessionFor(user) }));
}

/** What a call refused with (`{ code: 'OK' }` when it did not refuse); anything but a TRPCError is rethrown. */
export async function trpcError(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
    return { code: 'OK', message: '' };
  } catch (err) {
    if (err instanceof TRPCError) return { code: err.code, message: err.message };
    throw err;
  }
}

/**
 * The tRPC code a call refused with, `'OK'` when it did not refuse; anything but a TRPCError reads
 * `non-trpc: …`, so an assertion on the code shows what was thrown instead.
 */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    return err instanceof TRPCError ? err.code : `non-trpc: ${String(err)}`;
  }
}
