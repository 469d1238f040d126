// GET /v1.0/account — remove.bg-compatible balance; all behaviour lives in src/server/removebg.
import { getApiDeps, handleAccount, preflight } from '~/server/removebg';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return handleAccount(req, await getApiDeps());
}

export function OPTIONS(req: Request): Response {
  return preflight(req);
}
