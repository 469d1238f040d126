/**
 * The remove.bg-compatible endpoints as framework-independent functions
 * `(Request, ApiDeps) → Response`. The Next.js route files under src/app/v1.0 only call these.
 */
import { randomUUID } from 'node:crypto';
import { maxPriceUnits, priceUnits, unitsToCredits } from '@bgr/credits';
import { findUserByApiKey } from '@bgr/db/queries/api-keys';
import { countImprovements, createImprovementWithinLimit } from '@bgr/db/queries/improvement';
import { balance, capture, release, reserve, type Hold } from '@bgr/db/queries/ledger';
import { recordUsage } from '@bgr/db/queries/usage';
import { fetchImageUrl, FetchUrlError } from '../fetch-url';
import { megapixelUnits, type RateLimitState } from '../rate-limit';
import { readFields } from './body';
import type { ApiDeps } from './deps';
import { ApiError, toApiError } from './errors';
import { errorResponse, jsonResponse, preflight } from './http';
import { openApiDocument } from './openapi';
import { parseImproveParams, parseRemoveBgParams, type ImageSource } from './params';
import { rateLimitHeaders, removeBgResponse } from './response';

type Caller = NonNullable<Awaited<ReturnType<typeof findUserByApiKey>>>;

/** X-Api-Key (header names are case-insensitive); 403 auth_failed when missing, wrong, revoked or disabled. */
async function authenticate(req: Request, deps: ApiDeps): Promise<Caller> {
  const key = req.headers.get('x-api-key')?.trim();
  const caller = key ? await findUserByApiKey(deps.db, key) : null;
  if (!caller) {
    // Exactly remove.bg's body, no detail: clients match on it, and it tells a prober nothing.
    throw new ApiError('auth_failed');
  }
  return caller;
}

/** CORS preflight, the method check and X-Api-Key, shared by every endpoint; `handle` runs as the caller. */
async function asCaller(
  req: Request, deps: ApiDeps, method: 'GET' | 'POST', handle: (caller: Caller) => Promise<Response>,
): Promise<Response> {
  if (req.method === 'OPTIONS') return preflight(req);
  if (req.method !== method) return methodNotAllowed(method);
  let caller: Caller;
  try {
    caller = await authenticate(req, deps);
  } catch (err) {
    return errorResponse(err);
  }
  return handle(caller);
}

function methodNotAllowed(allowed: string): Response {
  return errorResponse(new ApiError('method_not_allowed', `Use ${allowed} for this endpoint.`), { Allow: `${allowed}, OPTIONS` });
}

/** Gets image bytes from an upload, base64 or a URL (fetched SSRF-safely). */
async function loadImage(source: ImageSource, role: 'image' | 'background', deps: ApiDeps): Promise<Uint8Array> {
  if (source.kind === 'bytes') return source.bytes;
  try {
    const fetched = await fetchImageUrl(source.url, deps.allowHosts === undefined ? {} : { allowHosts: deps.allowHosts });
    return fetched.bytes;
  } catch (err) {
    if (!(err instanceof FetchUrlError)) throw err;
    if (role === 'background') {
      throw new ApiError(err.code === 'invalid_image_url' ? 'invalid_bg_image_url' : 'failed_bg_download', err.detail.replace(/^The image/, 'The background image'));
    }
    if (err.reason === 'too_large') throw new ApiError('file_too_large', err.detail);
    throw new ApiError(err.code, err.detail);
  }
}

const MAX_IDEMPOTENT_ATTEMPTS = 20;
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

function idempotencyKey(req: Request): string | null {
  const key = req.headers.get('idempotency-key')?.trim() || null;
  if (key && key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new ApiError('invalid_request', `The Idempotency-Key header must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`);
  }
  return key;
}

type Reservation = { kind: 'new'; hold: Hold } | { kind: 'replay'; hold: Hold };

/**
 * Reserves the most this call can cost, before any inference, so short balances fail at once.
 * With an Idempotency-Key: a captured earlier call is a replay (no new charge); one still running
 * is a conflict; a failed (released) one is retried under the next attempt key.
 */
async function reserveCall(deps: ApiDeps, userId: string, units: number, idempotencyKey: string | null): Promise<Reservation> {
  const base = idempotencyKey ? `api:${idempotencyKey}` : `api:${randomUUID()}`;
  for (let attempt = 1; attempt <= MAX_IDEMPOTENT_ATTEMPTS; attempt++) {
    const key = attempt === 1 ? base : `${base}#${attempt}`;
    const result = await reserve(deps.db, { userId, units, key });
    if (!result.ok) {
      throw new ApiError(
        'insufficient_credits',
        `This call needs ${unitsToCredits(units)} credit${units === 4 ? '' : 's'}; ${unitsToCredits(result.available)} available.`,
      );
    }
    if (!result.replayed) return { kind: 'new', hold: result.hold };
    if (result.hold.status === 'captured') return { kind: 'replay', hold: result.hold };
    if (result.hold.status === 'held') {
      throw new ApiError('idempotency_conflict', 'A request with this Idempotency-Key is still being processed; retry when it has finished.');
    }
  }
  throw new ApiError('idempotency_conflict', 'This Idempotency-Key has failed too many times; use a new one.');
}

/** POST /v1.0/removebg */
export function handleRemoveBg(req: Request, deps: ApiDeps): Promise<Response> {
  return asCaller(req, deps, 'POST', async ({ user, apiKey }) => {
    let size = 'unknown';
    let megapixels = 0;
    let rate: RateLimitState = deps.rateLimiter.peek(apiKey.id);
    try {
      const params = parseRemoveBgParams(await readFields(req, 'removebg'));
      size = params.options.size;
      const image = await loadImage(params.source, 'image', deps);
      const info = await deps.inference.probe(image);
      megapixels = (info.width * info.height) / 1_000_000;
      const bgImage = params.background ? await loadImage(params.background, 'background', deps) : undefined;

      const slot = deps.rateLimiter.take(apiKey.id, megapixelUnits(info.width, info.height));
      rate = slot;
      if (!slot.ok) {
        throw new ApiError('rate_limit_exceeded', `Over ${slot.limit} megapixel-units a minute; retry in ${slot.retryAfterSeconds} s.`, {
          'Retry-After': String(slot.retryAfterSeconds),
        });
      }
      let reservation: Reservation | undefined;
      try {
        reservation = await reserveCall(deps, user.id, maxPriceUnits('api', size), idempotencyKey(req));
        // A client that hangs up stops its render; the hold is then released below.
        const result = await deps.inference.render(image, params.options, bgImage ? { bgImage, signal: req.signal } : { signal: req.signal });
        let charged = 0;
        if (reservation.kind === 'new') {
          charged = priceUnits('api', size, { width: result.width, height: result.height });
          await capture(deps.db, { holdId: reservation.hold.id, units: charged });
        }
        slot.commit();
        rate = deps.rateLimiter.peek(apiKey.id);
        if (reservation.kind === 'new') {
          await recordUsage(deps.db, { userId: user.id, apiKeyId: apiKey.id, channel: 'api', kind: size, units: charged, megapixels, ok: true }).catch(logUsageFailure);
        }
        return removeBgResponse(req, result, { units: charged }, rate);
      } catch (err) {
        slot.cancel();
        rate = deps.rateLimiter.peek(apiKey.id);
        if (reservation?.kind === 'new') await release(deps.db, { holdId: reservation.hold.id }).catch(logUsageFailure);
        throw err;
      }
    } catch (err) {
      const apiError = toApiError(err);
      await recordUsage(deps.db, {
        userId: user.id,
        apiKeyId: apiKey.id,
        channel: 'api',
        kind: size,
        units: 0,
        megapixels,
        ok: false,
        errorCode: apiError.code,
      }).catch(logUsageFailure);
      return errorResponse(err, rateLimitHeaders(rate));
    }
  });
}

function logUsageFailure(err: unknown): void {
  console.error('[api] bookkeeping failed', err);
}

/** GET /v1.0/account — exactly remove.bg's shape: extra keys break real clients. */
export function handleAccount(req: Request, deps: ApiDeps): Promise<Response> {
  return asCaller(req, deps, 'GET', async ({ user, apiKey }) => {
    const rate = rateLimitHeaders(deps.rateLimiter.peek(apiKey.id));
    try {
      const b = await balance(deps.db, { userId: user.id });
      const subscription = unitsToCredits(b.subscriptionUnits + b.rolloverUnits);
      const payg = unitsToCredits(b.paygUnits);
      const enterprise = unitsToCredits(b.promoUnits);
      return jsonResponse({
        data: {
          attributes: {
            credits: { total: subscription + payg + enterprise, subscription, payg, enterprise },
            api: { free_calls: deps.freeCalls, sizes: 'all' },
          },
        },
      }, 200, rate);
    } catch (err) {
      return errorResponse(err, rate);
    }
  });
}

/** The start of the UTC day `now` falls in, and the seconds until the next one begins. */
export function utcDay(now: Date): { start: Date; secondsToNext: number } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const next = start.getTime() + 24 * 60 * 60 * 1000;
  return { start, secondsToNext: Math.max(1, Math.ceil((next - now.getTime()) / 1000)) };
}

/**
 * POST /v1.0/improve — stores the image in the improvement collection admins can export.
 * At most `improvePerDay` submissions per API key per UTC day, counted in the database.
 */
export function handleImprove(req: Request, deps: ApiDeps): Promise<Response> {
  return asCaller(req, deps, 'POST', async ({ user, apiKey }) => {
    const rate = rateLimitHeaders(deps.rateLimiter.peek(apiKey.id));
    try {
      const params = parseImproveParams(await readFields(req, 'improve'));
      const image = await loadImage(params.source, 'image', deps);
      const info = await deps.inference.probe(image);
      const now = deps.now?.() ?? new Date();
      const day = utcDay(now);
      const overLimit = () =>
        new ApiError(
          'improve_limit_exceeded',
          `At most ${deps.improvePerDay} images a day (UTC) can be submitted per API key; try again after midnight UTC.`,
          { 'Retry-After': String(day.secondsToNext) },
        );
      // A cheap check first, so a key over its limit writes nothing to storage.
      if ((await countImprovements(deps.db, { apiKeyId: apiKey.id, since: day.start })) >= deps.improvePerDay) throw overLimit();
      const id = randomUUID();
      const storageKey = `improvements/${user.id}/${id}`;
      await deps.storage.put(storageKey, image);
      const filename = params.filename ?? (params.source.kind === 'url' ? urlFilename(params.source.url) : `image.${info.format === 'jpeg' ? 'jpg' : info.format}`);
      // The binding check: counted and recorded under the key's row lock (concurrent calls, replicas).
      const row = await createImprovementWithinLimit(deps.db, {
        userId: user.id,
        apiKeyId: apiKey.id,
        source: 'api',
        storageKey,
        filename,
        tag: params.tag ?? null,
        limit: deps.improvePerDay,
        since: day.start,
        ...(deps.now ? { now } : {}),
      }).catch(async (err: unknown) => {
        await deps.storage.delete(storageKey).catch(() => {});
        throw err;
      });
      if (!row) {
        await deps.storage.delete(storageKey).catch(() => {});
        throw overLimit();
      }
      return jsonResponse({ id: row.id }, 200, rate);
    } catch (err) {
      return errorResponse(err, rate);
    }
  });
}

function urlFilename(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last).slice(0, 255) : 'image';
  } catch {
    return 'image';
  }
}

/** GET /v1.0/openapi.json */
export function handleOpenApi(req: Request): Response {
  if (req.method === 'OPTIONS') return preflight(req);
  if (req.method !== 'GET') return methodNotAllowed('GET');
  return jsonResponse(openApiDocument);
}
