// Readiness (load balancers, Kubernetes readinessProbe): 200 while this replica should get new
// work — not draining (SIGTERM answers 503 at once) and its database answering within 2 s.
// The inference service is not consulted: the client routes around its replicas itself.
import { getDb } from '@bgr/db/client';
import { pingDb } from '@bgr/db/queries/health';
import { isDraining } from '~/server/readiness';

export const dynamic = 'force-dynamic';

const headers = { 'cache-control': 'no-store' };

export async function GET(): Promise<Response> {
  if (isDraining())
    return Response.json({ ready: false, reason: 'This replica is shutting down.' }, { status: 503, headers });
  try {
    await Promise.race([
      getDb().then(pingDb),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
    ]);
  } catch (e) {
    // The schema sentence (DATABASE_MIGRATE=check) says what to do; other failures stay generic.
    const schema = e instanceof Error && e.message.startsWith('The database schema') ? e.message : null;
    return Response.json(
      { ready: false, reason: schema ?? 'The database is not reachable.' },
      { status: 503, headers },
    );
  }
  return Response.json({ ready: true }, { headers });
}
