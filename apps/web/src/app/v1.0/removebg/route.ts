// POST /v1.0/removebg — the remove.bg-compatible endpoint; all behaviour lives in src/server/removebg.
import { getApiDeps, handleRemoveBg, preflight } from '~/server/removebg';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  return handleRemoveBg(req, await getApiDeps());
}

export function OPTIONS(req: Request): Response {
  return preflight(req);
}
