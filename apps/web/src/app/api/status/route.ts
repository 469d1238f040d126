// GET /api/status (no sign-in): operational | degraded | down, the components behind it and when it
// was checked — at most 5 s old, shared by every caller of this replica (server/status/current.ts).
import { currentStatus } from '~/server/status/current';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const status = await currentStatus();
  return Response.json(status.public, { headers: { 'cache-control': 'no-store' } });
}
