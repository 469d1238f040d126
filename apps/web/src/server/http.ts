import type { UserError } from './user-error';

/** The JSON error shape of the web app's own route handlers. */
export function errorResponse(err: UserError): Response {
  return Response.json({ error: { code: err.code, message: err.message } }, { status: err.status, headers: err.headers });
}
