/**
 * The remove.bg error vocabulary of the public API: every failure becomes
 * `{"errors":[{"title","code","detail"?}]}` with a status code, here and nowhere else.
 * Codes coming from the inference service (roi, scale, … checks) pass through unchanged.
 */
import { ERROR_CODES as INFERENCE_CODES } from '@bgr/inference-client/options';
import { AppError } from '../errors/app-error';

/** Our own codes (the request, the account, the ledger); inference codes are added below. */
const API_CODES = {
  auth_failed: { status: 403, title: 'API Key invalid' },
  missing_source: { status: 400, title: 'No image given' },
  multiple_sources: { status: 400, title: 'Multiple image sources given' },
  invalid_image_url: { status: 400, title: 'Invalid image URL' },
  failed_image_download: { status: 400, title: 'Failed to download the image' },
  multiple_bg_sources: { status: 400, title: 'Multiple background sources given' },
  invalid_bg_image_url: { status: 400, title: 'Invalid background image URL' },
  failed_bg_download: { status: 400, title: 'Failed to download the background image' },
  invalid_request: { status: 400, title: 'Invalid request body' },
  insufficient_credits: { status: 402, title: 'Insufficient credits' },
  idempotency_conflict: { status: 409, title: 'Request with this Idempotency-Key in progress' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key already used for a different request' },
  rate_limit_exceeded: { status: 429, title: 'Rate limit exceeded' },
  improve_limit_exceeded: { status: 429, title: 'Daily limit for improvement submissions reached' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
} as const satisfies Record<string, { status: number; title: string }>;

export const API_ERROR_CODES = { ...INFERENCE_CODES, ...API_CODES } as const;
export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/** Inference codes that describe our own misconfiguration, not the caller's request. */
const INTERNAL_FAULTS = new Set(['unauthorized', 'not_found', 'request_timeout']);

/** The API's AppError: its code, status and title come from API_ERROR_CODES, its detail is optional. */
export class ApiError extends AppError {
  readonly title: string;
  readonly detail?: string;
  constructor(code: ApiErrorCode, detail?: string, headers: Record<string, string> = {}) {
    super(code, detail ?? API_ERROR_CODES[code].title, API_ERROR_CODES[code].status, headers);
    this.name = 'ApiError';
    this.title = API_ERROR_CODES[code].title;
    this.detail = detail;
  }
}

export interface ErrorBody {
  errors: Array<{ title: string; code: string; detail?: string }>;
}

/**
 * Turns anything thrown while serving a request into an ApiError. Errors carrying a known code
 * (InferenceError, FetchUrlError, RenderError) keep it; anything else is an internal error whose
 * message is never shown (it may be a stack trace).
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { code?: unknown; detail?: unknown; status?: unknown; title?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const detail = typeof e?.detail === 'string' && e.detail ? e.detail : undefined;
  if (code in API_ERROR_CODES && !INTERNAL_FAULTS.has(code)) {
    return new ApiError(code as ApiErrorCode, detail);
  }
  if (code && typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && !INTERNAL_FAULTS.has(code)) {
    // A remove.bg code the inference service knows and we do not list: pass it through as is.
    const passthrough = new ApiError('invalid_options', detail);
    Object.assign(passthrough, {
      code,
      status: e.status,
      title: typeof e.title === 'string' && e.title ? e.title : passthrough.title,
    });
    return passthrough;
  }
  return new ApiError('internal', 'Something went wrong while processing the image. Please try again.');
}

export function errorBody(err: ApiError): ErrorBody {
  const item: ErrorBody['errors'][number] = { title: err.title, code: err.code };
  if (err.detail) item.detail = err.detail;
  return { errors: [item] };
}
