// Liveness (Kubernetes livenessProbe, Docker HEALTHCHECK): the process answers HTTP. Nothing
// outside it is consulted, so a database outage never gets healthy replicas restarted.
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
}
