/**
 * The one error type of the web app. Whatever refuses a request throws an AppError: its `code` is
 * the remove.bg-style code (or our own), its message a sentence meant for the person in front of the
 * screen, its `status` the HTTP status. The edges only render it: tRPC in one middleware
 * (./trpc.ts), the web routes as `{"error":{code,message}}` (../http.ts), the remove.bg API as
 * `{"errors":[…]}` (its ApiError is an AppError built from API_ERROR_CODES).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra response headers (Retry-After on 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}
