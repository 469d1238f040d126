// POST /v1.0/improve — submit an image to the improvement collection; behaviour in src/server/removebg.
import { getApiDeps, handleImprove, preflight } from '~/server/removebg';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  return handleImprove(req, await getApiDeps());
}

export function OPTIONS(req: Request): Response {
  return preflight(req);
}
