import type { AppError } from './errors/app-error';
import { noteOutcome } from './logging/context';

/** The JSON error shape of the web app's own route handlers. */
export function errorResponse(err: AppError): Response {
  noteOutcome(err.code);
  return Response.json(
    { error: { code: err.code, message: err.message } },
    { status: err.status, headers: err.headers },
  );
}
