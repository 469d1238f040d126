/**
 * Server components (pages) read through the same tRPC procedures the browser calls, so every page gets
 * exactly the authorisation checks the routers enforce (admin pages included).
 */
import { headers } from 'next/headers';
import { createCaller } from '~/server/api/root';
import { createTRPCContext } from '~/server/api/trpc';
import { getServerAuthSession } from '~/server/auth';

export async function serverCaller() {
  const [h, session] = await Promise.all([headers(), getServerAuthSession()]);
  const ctx = await createTRPCContext({ headers: new Headers(h), session });
  return { caller: createCaller(ctx), user: ctx.user };
}

/** The address people reach this server at, as the browser sent it (for the API page's examples). */
export async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  // Behind a TLS-terminating proxy the proxy says so; a direct connection to Next is plain http.
  const proto = h.get('x-forwarded-proto') ?? 'http';
  return `${proto.split(',')[0]!.trim()}://${host.split(',')[0]!.trim()}`;
}
