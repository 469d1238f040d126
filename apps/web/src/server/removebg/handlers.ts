/**
 * The remove.bg-compatible endpoints as framework-independent functions
 * `(Request, ApiDeps) → Response`. The Next.js route files under src/app/v1.0 only call these.
 *
 * A call does the cheap checks first — the API key, the per-user rate limit, whether the caller
 * can pay the cheapest price a call can cost — and only then reads the body, downloads
 * image_url/bg_image_url, probes and renders. Credits are spent only through withCharge
 * (packages/db charge.ts), which also binds an Idempotency-Key to the request's fingerprint.
 */
import { randomUUID } from 'node:crypto';
import { maxPriceUnits, priceUnits, teamShortfall, unitsToCredits } from '@bgr/credits';
import { shortfallSentence } from '~/lib/shortfall';
import { findUserByApiKey } from '@bgr/db/queries/api-keys';
import { ChargeError, findChargeKey, withCharge } from '@bgr/db/queries/charge';
import { countImprovements, createImprovementWithinLimit } from '@bgr/db/queries/improvement';
import { balance } from '@bgr/db/queries/ledger';
import { recordUsage } from '@bgr/db/queries/usage';
import { fetchImageUrl, FetchUrlError } from '../fetch-url';
import { noteUser, requestIdOf } from '../logging/context';
import { webMetrics } from '../metrics/registry';
import {
  chargeApiRate,
  megapixelUnits,
  peekApiRate,
  settleFailedApiRate,
  takeApiRate,
  type RateLimitState,
} from '../rate-limit';
import { readFields } from './body';
import { apiChannel } from './channel';
import type { ApiDeps } from './deps';
import { ApiError, toApiError } from './errors';
import { fetchedContentDigest, requestFingerprint } from './fingerprint';
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
  noteUser(caller.user.id);
  return caller;
}

/** CORS preflight, the method check and X-Api-Key, shared by every endpoint; `handle` runs as the caller. */
async function asCaller(
  req: Request,
  deps: ApiDeps,
  method: 'GET' | 'POST',
  handle: (caller: Caller) => Promise<Response>,
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
  return errorResponse(new ApiError('method_not_allowed', `Use ${allowed} for this endpoint.`), {
    Allow: `${allowed}, OPTIONS`,
  });
}

/** Gets image bytes from an upload, base64 or a URL (fetched SSRF-safely). */
async function loadImage(source: ImageSource, role: 'image' | 'background', deps: ApiDeps): Promise<Uint8Array> {
  if (source.kind === 'bytes') return source.bytes;
  try {
    const fetched = await fetchImageUrl(
      source.url,
      deps.allowHosts === undefined ? {} : { allowHosts: deps.allowHosts },
    );
    return fetched.bytes;
  } catch (err) {
    if (!(err instanceof FetchUrlError)) throw err;
    if (role === 'background') {
      throw new ApiError(
        err.code === 'invalid_image_url' ? 'invalid_bg_image_url' : 'failed_bg_download',
        err.detail.replace(/^The image/, 'The background image'),
      );
    }
    if (err.reason === 'too_large') throw new ApiError('file_too_large', err.detail);
    throw new ApiError(err.code, err.detail);
  }
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

function idempotencyKey(req: Request): string | null {
  const key = req.headers.get('idempotency-key')?.trim() || null;
  if (key && key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new ApiError(
      'invalid_request',
      `The Idempotency-Key header must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
    );
  }
  return key;
}

/** The least any call can cost (a preview): below it, nothing is read or downloaded. */
const CHEAPEST_CALL_UNITS = priceUnits('api', 'preview');

function credits(units: number): string {
  const n = unitsToCredits(units);
  return `${n} credit${n === 1 ? '' : 's'}`;
}

/**
 * 402 at once when the caller cannot pay even the cheapest call — unless the Idempotency-Key is
 * live: a replay of a captured call is free, and a call still running answers 409 (withCharge decides).
 */
async function checkCanPay(deps: ApiDeps, userId: string, key: string | null): Promise<void> {
  if (key && (await findChargeKey(deps.db, { userId, key: `api:${key}` }))) return;
  const b = await balance(deps.db, { userId });
  const available = b.totalUnits;
  if (available < CHEAPEST_CALL_UNITS) {
    const shortOf = b.team ? teamShortfall(b.team.poolUnits, b.team.capLeftUnits) : 'own';
    throw new ApiError(
      'insufficient_credits',
      `A call needs at least ${credits(CHEAPEST_CALL_UNITS)}; ${credits(available)} available.${shortfallSentence(shortOf)}`,
    );
  }
}

/** withCharge's refusals in the API's words. */
function chargeRefusal(err: ChargeError): ApiError {
  switch (err.code) {
    case 'insufficient':
      return new ApiError(
        'insufficient_credits',
        `This call needs ${credits(err.units)}; ${credits(err.available)} available.${shortfallSentence(err.shortOf)}`,
      );
    case 'key_reused':
      return new ApiError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request (another image or other parameters); use a new key for a new request.',
      );
    case 'in_progress':
      return new ApiError(
        'idempotency_conflict',
        'A request with this Idempotency-Key is still being processed; retry when it has finished.',
      );
    case 'aborted':
      return new ApiError('internal', 'The client went away before the result was delivered; nothing was charged.');
  }
}

/** A replay whose image_url or bg_image_url now serves other bytes than the call that was paid for. */
function changedAtUrl(params: { source: ImageSource; background?: ImageSource }): ApiError {
  const which = [params.source.kind === 'url' && 'image_url', params.background?.kind === 'url' && 'bg_image_url']
    .filter(Boolean)
    .join(' or ');
  return new ApiError(
    'idempotency_key_reused',
    `The image at ${which} is not the one this Idempotency-Key was first used for; use a new key for a new request.`,
  );
}

/** POST /v1.0/removebg */
export function handleRemoveBg(req: Request, deps: ApiDeps): Promise<Response> {
  return asCaller(req, deps, 'POST', async ({ user, apiKey }) => {
    const metrics = webMetrics();
    const requestId = requestIdOf(req);
    let size = 'unknown';
    let megapixels = 0;
    let hitId: string | null = null;
    let rate: RateLimitState | undefined;
    try {
      // 1. The rate limit (per user), on the least a call costs; raised once the image is probed.
      const slot = await takeApiRate(deps.db, user.id, deps.rateLimitMpu);
      rate = slot;
      if (!slot.ok) {
        throw new ApiError(
          'rate_limit_exceeded',
          `Over ${slot.limit} megapixel-units a minute; retry in ${slot.retryAfterSeconds} s.`,
          {
            'Retry-After': String(slot.retryAfterSeconds),
          },
        );
      }
      hitId = slot.hitId;
      // 2. Can the caller pay the cheapest call? (A replay of a captured Idempotency-Key needs nothing.)
      const key = idempotencyKey(req);
      await checkCanPay(deps, user.id, key);
      // 3. Only now the body; then the charge (reserve the most this size can cost, or replay, or refuse the key).
      const params = parseRemoveBgParams(await readFields(req, 'removebg'));
      size = params.options.size;
      const done = await withCharge(
        deps.db,
        {
          userId: user.id,
          units: maxPriceUnits('api', size),
          kind: 'api',
          channel: apiChannel(req),
          key: key ? `api:${key}` : null,
          fingerprint: requestFingerprint(params),
          signal: req.signal,
        },
        async ({ replayed, boundContent }) => {
          const image = await loadImage(params.source, 'image', deps);
          const info = await deps.inference.probe(image, { requestId });
          megapixels = (info.width * info.height) / 1_000_000;
          const cost = megapixelUnits(info.width, info.height);
          if (cost > 1) await chargeApiRate(deps.db, slot.hitId, cost);
          const bgImage = params.background ? await loadImage(params.background, 'background', deps) : undefined;
          // A replay renders free only the bytes the paid call had: an address serving another image is a new request.
          const content = fetchedContentDigest(params, image, bgImage);
          if (replayed && content !== boundContent) throw changedAtUrl(params);
          // A client that hangs up stops its render; withCharge then releases the hold.
          const result = await deps.inference.render(
            image,
            params.options,
            bgImage ? { bgImage, signal: req.signal, requestId } : { signal: req.signal, requestId },
          );
          return {
            value: result,
            units: replayed ? 0 : priceUnits('api', size, { width: result.width, height: result.height }),
            content,
          };
        },
      );
      rate = await peekApiRate(deps.db, user.id, deps.rateLimitMpu);
      await recordUsage(deps.db, {
        userId: user.id,
        apiKeyId: apiKey.id,
        channel: apiChannel(req),
        kind: size,
        units: done.units,
        megapixels,
        ok: true,
      }).catch(logUsageFailure);
      metrics.apiCalls.inc({ size, outcome: 'ok' });
      return removeBgResponse(
        req,
        done.value,
        { units: done.units },
        rate,
        done.replayed ? { 'Idempotent-Replayed': 'true' } : {},
      );
    } catch (caught) {
      const err = caught instanceof ChargeError ? chargeRefusal(caught) : caught;
      if (hitId) {
        await settleFailedApiRate(deps.db, hitId).catch(logUsageFailure);
        rate = undefined;
      }
      rate ??= await peekApiRate(deps.db, user.id, deps.rateLimitMpu).catch(() => undefined);
      const apiError = toApiError(err);
      metrics.apiCalls.inc({ size, outcome: apiError.code });
      await recordUsage(deps.db, {
        userId: user.id,
        apiKeyId: apiKey.id,
        channel: apiChannel(req),
        kind: size,
        units: 0,
        megapixels,
        ok: false,
        errorCode: apiError.code,
      }).catch(logUsageFailure);
      return errorResponse(err, rate ? rateLimitHeaders(rate) : {});
    }
  });
}

function logUsageFailure(err: unknown): void {
  console.error('[api] bookkeeping failed', err);
}

/** GET /v1.0/account — exactly remove.bg's shape: extra keys break real clients. */
export function handleAccount(req: Request, deps: ApiDeps): Promise<Response> {
  return asCaller(req, deps, 'GET', async ({ user }) => {
    let rate: Record<string, string> = {};
    try {
      rate = rateLimitHeaders(await peekApiRate(deps.db, user.id, deps.rateLimitMpu));
      const b = await balance(deps.db, { userId: user.id });
      const subscription = unitsToCredits(b.subscriptionUnits + b.rolloverUnits);
      const payg = unitsToCredits(b.paygUnits);
      // remove.bg's enterprise bucket: promo credits and, for a team member, the team credits open to them.
      const enterprise = unitsToCredits(b.promoUnits + (b.team?.availableUnits ?? 0));
      return jsonResponse(
        {
          data: {
            attributes: {
              credits: { total: subscription + payg + enterprise, subscription, payg, enterprise },
              api: { free_calls: deps.freeCalls, sizes: 'all' },
            },
          },
        },
        200,
        rate,
      );
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
 * At most `improvePerDay` submissions per user (all their keys together) per UTC day, counted in
 * the database; checked before the body is read, and again under the user's row lock.
 */
export function handleImprove(req: Request, deps: ApiDeps): Promise<Response> {
  return asCaller(req, deps, 'POST', async ({ user, apiKey }) => {
    let rate: Record<string, string> = {};
    try {
      rate = rateLimitHeaders(await peekApiRate(deps.db, user.id, deps.rateLimitMpu));
      const now = deps.now?.() ?? new Date();
      const day = utcDay(now);
      const overLimit = () =>
        new ApiError(
          'improve_limit_exceeded',
          `At most ${deps.improvePerDay} images a day (UTC) can be submitted per account; try again after midnight UTC.`,
          { 'Retry-After': String(day.secondsToNext) },
        );
      // The cheap check first: over the limit, nothing is read, downloaded or stored.
      if ((await countImprovements(deps.db, { userId: user.id, since: day.start })) >= deps.improvePerDay)
        throw overLimit();
      const params = parseImproveParams(await readFields(req, 'improve'));
      const image = await loadImage(params.source, 'image', deps);
      const info = await deps.inference.probe(image, { requestId: requestIdOf(req) });
      const id = randomUUID();
      const storageKey = `improvements/${user.id}/${id}`;
      await deps.storage.put(storageKey, image);
      const filename =
        params.filename ??
        (params.source.kind === 'url'
          ? urlFilename(params.source.url)
          : `image.${info.format === 'jpeg' ? 'jpg' : info.format}`);
      // The binding check: counted and recorded under the user's row lock (concurrent calls, replicas, keys).
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
