/**
 * The success answer of POST /v1.0/removebg: the image bytes by default, or remove.bg's JSON
 * envelope when the client sends `Accept: application/json` (the npm client always does).
 */
import { unitsToCredits } from '@bgr/credits';
import type { RateLimitState } from '../rate-limit';
import { CORS_HEADERS } from './http';

/** What the response needs from a render (a subset of the inference client's RenderResult). */
export interface RenderedImage {
  body: Uint8Array;
  contentType: string;
  width: number;
  height: number;
  foreground: { top: number; left: number; width: number; height: number };
}

export function wantsJson(req: Request): boolean {
  const accept = (req.headers.get('accept') ?? '').toLowerCase();
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    if (type !== 'application/json') return false;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

/** `0.25` or `1` for a charge, `0` when nothing was charged (a replayed Idempotency-Key, with `Idempotent-Replayed: true`). */
export function creditsChargedHeader(units: number): string {
  return String(unitsToCredits(units));
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': String(state.resetAt),
  };
}

export function removeBgResponse(
  req: Request,
  result: RenderedImage,
  charge: { units: number },
  rate: RateLimitState,
  extra: Record<string, string> = {},
): Response {
  const headers: Record<string, string> = {
    ...extra,
    ...CORS_HEADERS,
    'X-Credits-Charged': creditsChargedHeader(charge.units),
    'X-Width': String(result.width),
    'X-Height': String(result.height),
    'X-Foreground-Top': String(result.foreground.top),
    'X-Foreground-Left': String(result.foreground.left),
    'X-Foreground-Width': String(result.foreground.width),
    'X-Foreground-Height': String(result.foreground.height),
    ...rateLimitHeaders(rate),
    'Cache-Control': 'no-store',
  };
  if (wantsJson(req)) {
    const body = {
      data: {
        result_b64: Buffer.from(result.body).toString('base64'),
        foreground_top: result.foreground.top,
        foreground_left: result.foreground.left,
        foreground_width: result.foreground.width,
        foreground_height: result.foreground.height,
      },
    };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { ...headers, 'Content-Type': 'application/json' },
    });
  }
  return new Response(new Uint8Array(result.body), {
    status: 200,
    headers: { ...headers, 'Content-Type': result.contentType },
  });
}
