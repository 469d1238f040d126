// GET /v1.0/openapi.json — the OpenAPI 3.1 document of the remove.bg-compatible API.
import { handleOpenApi, preflight } from '~/server/removebg';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Response {
  return handleOpenApi(req);
}

export function OPTIONS(req: Request): Response {
  return preflight(req);
}
