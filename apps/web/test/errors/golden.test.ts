/**
 * The golden record of every error the web app answers with, taken before the error mapping was
 * unified (issue 12): each remove.bg API code → HTTP status and `{"errors":[…]}` body, each web
 * route error → status and `{"error":{code,message}}`, and each tRPC refusal the routers produce →
 * tRPC code, HTTP status and sentence, through the real HTTP handlers on a real database.
 * A change to any of these literals is a change of behaviour, never a refactoring.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { withTestDb } from '@bgr/db/test/support';
import { createImage } from '@bgr/db/queries/images';
import { grant } from '@bgr/db/queries/ledger';
import { recordLimitHit } from '@bgr/db/queries/limits';
import { createUser } from '@bgr/db/queries/users';
import { FetchUrlError } from '~/server/fetch-url';
import { errorResponse as webErrorResponse } from '~/server/http';
import { handleTrpcRequest } from '~/server/api/http-handler';
import { createTRPCContext } from '~/server/api/trpc';
import { API_ERROR_CODES, ApiError, toApiError } from '~/server/removebg/errors';
import { errorResponse as apiErrorResponse } from '~/server/removebg/http';
import { LocalStorage } from '~/server/storage/index';
import { AppError as UserError } from '~/server/errors/app-error';
import { toAppError as toUserError } from '~/server/errors/to-app-error';
import { webQuotaBucket } from '~/server/web-quota';
import { sessionFor } from '../support/context';
import { startApiServer, type ApiServer } from '../api/support/server';
import { createWorld, makePhoto, type World } from '../api/support/world';

/** Nothing listens here: a real client pointed at it meets a real connection refusal. */
const DEAD_INFERENCE = { url: 'http://127.0.0.1:9', secret: 'golden-test', stop: async () => {} };

async function apiAnswer(res: Response) {
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describe('remove.bg API errors', () => {
  it('every code answers with its status, title and the remove.bg body', async () => {
    const table: Record<string, unknown> = {};
    for (const code of Object.keys(API_ERROR_CODES) as (keyof typeof API_ERROR_CODES)[]) {
      const res = apiErrorResponse(new ApiError(code, 'A detail sentence.'));
      const answer = await apiAnswer(res);
      expect(answer.body).toEqual({
        errors: [{ title: API_ERROR_CODES[code].title, code, detail: 'A detail sentence.' }],
      });
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      table[code] =
        `${answer.status} ${answer.body.errors[0].title}${answer.retryAfter ? ` (Retry-After ${answer.retryAfter})` : ''}`;
    }
    expect(table).toMatchInlineSnapshot(`
      {
        "auth_failed": "403 API Key invalid",
        "failed_bg_download": "400 Failed to download the background image",
        "failed_image_download": "400 Failed to download the image",
        "failed_to_read_image": "400 Failed to read image",
        "file_too_large": "400 File too large",
        "idempotency_conflict": "409 Request with this Idempotency-Key in progress",
        "idempotency_key_reused": "422 Idempotency-Key already used for a different request",
        "improve_limit_exceeded": "429 Daily limit for improvement submissions reached (Retry-After 60)",
        "insufficient_credits": "402 Insufficient credits",
        "internal": "500 Internal error",
        "invalid_bg_color": "400 Invalid background color",
        "invalid_bg_image": "400 Invalid background image",
        "invalid_bg_image_url": "400 Invalid background image URL",
        "invalid_channels": "400 Invalid channels",
        "invalid_crop_margin": "400 Invalid crop margin",
        "invalid_file_type": "400 Invalid file type",
        "invalid_format": "400 Invalid format",
        "invalid_image_url": "400 Invalid image URL",
        "invalid_options": "400 Invalid options",
        "invalid_position": "400 Invalid position",
        "invalid_request": "400 Invalid request body",
        "invalid_roi": "400 Invalid region of interest",
        "invalid_scale": "400 Invalid scale",
        "invalid_shadow_opacity": "400 Invalid shadow opacity",
        "invalid_shadow_type": "400 Invalid shadow type",
        "invalid_size": "400 Invalid size",
        "method_not_allowed": "405 Method not allowed",
        "missing_source": "400 No image given",
        "multiple_bg_sources": "400 Multiple background sources given",
        "multiple_sources": "400 Multiple image sources given",
        "not_found": "404 Not found",
        "output_too_large": "400 Output image resolution too high",
        "rate_limit_exceeded": "429 Rate limit exceeded (Retry-After 60)",
        "request_timeout": "408 Request body not received in time",
        "resolution_too_high": "400 Input image resolution too high",
        "roi_exceeds_bounds": "400 Region of interest exceeds the image bounds",
        "roi_region_empty": "400 Region of interest is empty",
        "service_unavailable": "503 Service unavailable (Retry-After 5)",
        "timeout": "504 Processing timed out",
        "unauthorized": "401 Missing or wrong inference secret",
        "unknown_foreground": "400 Could not identify foreground in image",
      }
    `);
  });

  it('without a detail the body has no detail key', async () => {
    expect(await apiAnswer(apiErrorResponse(new ApiError('auth_failed')))).toMatchInlineSnapshot(`
      {
        "body": {
          "errors": [
            {
              "code": "auth_failed",
              "title": "API Key invalid",
            },
          ],
        },
        "retryAfter": null,
        "status": 403,
      }
    `);
  });

  it('foreign errors: known codes pass, internal faults and unknown errors become a sentence', async () => {
    const cases: Record<string, unknown> = {
      inference: { code: 'invalid_roi', status: 400, detail: 'The region is outside the image.' },
      fetcher: new FetchUrlError(
        'failed_image_download',
        'refused',
        'The address 10.0.0.1 was refused for safety: it is a private address',
      ),
      passthrough: { code: 'some_new_code', status: 422, title: 'Some new refusal', detail: 'Explained.' },
      passthroughNoTitle: { code: 'other_code', status: 400 },
      innerUnauthorized: { code: 'unauthorized', status: 401, detail: 'secret' },
      innerNotFound: { code: 'not_found', status: 404 },
      innerTimeout: { code: 'request_timeout', status: 408 },
      unavailable: { code: 'service_unavailable', status: 503, detail: 'Busy.' },
      crash: new Error('ECONNRESET at Socket.foo\n    at bar'),
      nothing: null,
    };
    const out: Record<string, unknown> = {};
    for (const [name, err] of Object.entries(cases)) {
      const e = toApiError(err);
      out[name] = { status: e.status, body: await (await apiErrorResponse(e)).json() };
    }
    expect(out).toMatchInlineSnapshot(`
      {
        "crash": {
          "body": {
            "errors": [
              {
                "code": "internal",
                "detail": "Something went wrong while processing the image. Please try again.",
                "title": "Internal error",
              },
            ],
          },
          "status": 500,
        },
        "fetcher": {
          "body": {
            "errors": [
              {
                "code": "failed_image_download",
                "detail": "The address 10.0.0.1 was refused for safety: it is a private address",
                "title": "Failed to download the image",
              },
            ],
          },
          "status": 400,
        },
        "inference": {
          "body": {
            "errors": [
              {
                "code": "invalid_roi",
                "detail": "The region is outside the image.",
                "title": "Invalid region of interest",
              },
            ],
          },
          "status": 400,
        },
        "innerNotFound": {
          "body": {
            "errors": [
              {
                "code": "internal",
                "detail": "Something went wrong while processing the image. Please try again.",
                "title": "Internal error",
              },
            ],
          },
          "status": 500,
        },
        "innerTimeout": {
          "body": {
            "errors": [
              {
                "code": "internal",
                "detail": "Something went wrong while processing the image. Please try again.",
                "title": "Internal error",
              },
            ],
          },
          "status": 500,
        },
        "innerUnauthorized": {
          "body": {
            "errors": [
              {
                "code": "internal",
                "detail": "Something went wrong while processing the image. Please try again.",
                "title": "Internal error",
              },
            ],
          },
          "status": 500,
        },
        "nothing": {
          "body": {
            "errors": [
              {
                "code": "internal",
                "detail": "Something went wrong while processing the image. Please try again.",
                "title": "Internal error",
              },
            ],
          },
          "status": 500,
        },
        "passthrough": {
          "body": {
            "errors": [
              {
                "code": "some_new_code",
                "detail": "Explained.",
                "title": "Some new refusal",
              },
            ],
          },
          "status": 422,
        },
        "passthroughNoTitle": {
          "body": {
            "errors": [
              {
                "code": "other_code",
                "title": "Invalid options",
              },
            ],
          },
          "status": 400,
        },
        "unavailable": {
          "body": {
            "errors": [
              {
                "code": "service_unavailable",
                "detail": "Busy.",
                "title": "Service unavailable",
              },
            ],
          },
          "status": 503,
        },
      }
    `);
  });

  describe('through the real handlers over HTTP', () => {
    let world: World;
    let server: ApiServer;
    let broke: { key: string };
    let rich: { key: string };
    let photo: Buffer;

    beforeAll(async () => {
      world = await createWorld('pglite', DEAD_INFERENCE);
      server = await startApiServer(world.deps);
      broke = await world.newAccount(0);
      rich = await world.newAccount(10);
      photo = await makePhoto();
    });
    afterAll(async () => {
      await server?.close();
      await world?.close();
    });

    const post = (key: string | null, form: FormData | string, extra: Record<string, string> = {}) =>
      fetch(`${server.baseUrl}/removebg`, {
        method: 'POST',
        headers: {
          ...(key ? { 'X-Api-Key': key } : {}),
          ...(typeof form === 'string' ? { 'Content-Type': 'application/json' } : {}),
          ...extra,
        },
        body: form,
      });
    const formOf = (fields: Record<string, string | Blob>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.append(k, v);
      return f;
    };

    it('answers each refusal with its code, status and sentence', async () => {
      const file = () => new Blob([new Uint8Array(photo)], { type: 'image/jpeg' });
      const out: Record<string, unknown> = {};
      out.wrongMethod = await apiAnswer(await fetch(`${server.baseUrl}/removebg`));
      out.noKey = await apiAnswer(await post(null, formOf({ image_url: 'https://example.com/a.jpg' })));
      out.wrongKey = await apiAnswer(await post('nope', formOf({ image_url: 'https://example.com/a.jpg' })));
      out.noCredits = await apiAnswer(await post(broke.key, formOf({ image_file: file() })));
      out.noSource = await apiAnswer(await post(rich.key, formOf({ size: 'preview' })));
      out.twoSources = await apiAnswer(
        await post(rich.key, formOf({ image_file: file(), image_url: 'https://example.com/a.jpg' })),
      );
      out.badUrl = await apiAnswer(await post(rich.key, formOf({ image_url: 'ftp://example.com/a.jpg' })));
      out.privateUrl = await apiAnswer(await post(rich.key, formOf({ image_url: 'http://10.0.0.1/a.jpg' })));
      out.badJson = await apiAnswer(await post(rich.key, '{not json'));
      out.badOption = await apiAnswer(await post(rich.key, formOf({ image_file: file(), size: 'gigantic' })));
      out.inferenceDown = await apiAnswer(await post(rich.key, formOf({ image_file: file(), size: 'preview' })));
      expect(out).toMatchInlineSnapshot(`
        {
          "badJson": {
            "body": {
              "errors": [
                {
                  "code": "invalid_request",
                  "detail": "The request body is not valid JSON.",
                  "title": "Invalid request body",
                },
              ],
            },
            "retryAfter": null,
            "status": 400,
          },
          "badOption": {
            "body": {
              "errors": [
                {
                  "code": "invalid_size",
                  "detail": "size must be one of preview, small, regular, medium, hd, full, 4k, 50MP, auto; got "gigantic".",
                  "title": "Invalid size",
                },
              ],
            },
            "retryAfter": null,
            "status": 400,
          },
          "badUrl": {
            "body": {
              "errors": [
                {
                  "code": "invalid_image_url",
                  "detail": "The image URL must use http or https, not ftp.",
                  "title": "Invalid image URL",
                },
              ],
            },
            "retryAfter": null,
            "status": 400,
          },
          "inferenceDown": {
            "body": {
              "errors": [
                {
                  "code": "service_unavailable",
                  "detail": "The inference service at http://127.0.0.1:9 could not be reached.",
                  "title": "Service unavailable",
                },
              ],
            },
            "retryAfter": "5",
            "status": 503,
          },
          "noCredits": {
            "body": {
              "errors": [
                {
                  "code": "insufficient_credits",
                  "detail": "A call needs at least 0.25 credits; 0 credits available.",
                  "title": "Insufficient credits",
                },
              ],
            },
            "retryAfter": null,
            "status": 402,
          },
          "noKey": {
            "body": {
              "errors": [
                {
                  "code": "auth_failed",
                  "title": "API Key invalid",
                },
              ],
            },
            "retryAfter": null,
            "status": 403,
          },
          "noSource": {
            "body": {
              "errors": [
                {
                  "code": "missing_source",
                  "detail": "Give the image as exactly one of image_file, image_file_b64 or image_url.",
                  "title": "No image given",
                },
              ],
            },
            "retryAfter": null,
            "status": 400,
          },
          "privateUrl": {
            "body": {
              "errors": [
                {
                  "code": "failed_image_download",
                  "detail": "The address 10.0.0.1 was refused for safety: it is a private address.",
                  "title": "Failed to download the image",
                },
              ],
            },
            "retryAfter": null,
            "status": 400,
          },
          "twoSources": {
            "body": {
              "errors": [
                {
                  "code": "multiple_sources",
                  "detail": "Give only one of image_file, image_file_b64 or image_url.",
                  "title": "Multiple image sources given",
                },
              ],
            },
            "retryAfter": null,
            "status": 400,
          },
          "wrongKey": {
            "body": {
              "errors": [
                {
                  "code": "auth_failed",
                  "title": "API Key invalid",
                },
              ],
            },
            "retryAfter": null,
            "status": 403,
          },
          "wrongMethod": {
            "body": {
              "errors": [
                {
                  "code": "method_not_allowed",
                  "detail": "Use POST for this endpoint.",
                  "title": "Method not allowed",
                },
              ],
            },
            "retryAfter": null,
            "status": 405,
          },
        }
      `);
    }, 60_000);
  });
});

describe('web route errors', () => {
  it('inference and fetcher codes become sentences with a status', async () => {
    const codes = [
      'file_too_large',
      'resolution_too_high',
      'invalid_file_type',
      'failed_to_read_image',
      'failed_image_download',
      'invalid_image_url',
      'missing_source',
      'service_unavailable',
      'timeout',
      'invalid_roi',
      'internal',
    ];
    const out: Record<string, unknown> = {};
    for (const code of codes) {
      const e = toUserError({
        code,
        status: code === 'service_unavailable' ? 503 : code === 'timeout' ? 504 : code === 'internal' ? 500 : 400,
        message: 'Raw message.',
      });
      out[code] = `${e.status} ${e.code}: ${e.message}`;
    }
    const refused = toUserError(
      new FetchUrlError(
        'failed_image_download',
        'refused',
        'The address 10.0.0.1 was refused for safety: it is a private address',
      ),
    );
    out.fetcherDetail = `${refused.status} ${refused.code}: ${refused.message}`;
    const multiline = toUserError({ code: 'odd', status: 400, message: 'line one\nline two' });
    out.multiline = `${multiline.status} ${multiline.code}: ${multiline.message}`;
    const crash = toUserError(new Error('boom'));
    out.crash = `${crash.status} ${crash.code}: ${crash.message}`;
    expect(out).toMatchInlineSnapshot(`
      {
        "crash": "500 internal: Something went wrong while processing the image. Please try again.",
        "failed_image_download": "400 failed_image_download: The image at that address could not be downloaded.",
        "failed_to_read_image": "400 failed_to_read_image: The image could not be read. The file may be damaged or incomplete.",
        "fetcherDetail": "400 failed_image_download: The image at that address could not be downloaded. The address 10.0.0.1 was refused for safety: it is a private address.",
        "file_too_large": "400 file_too_large: That file is larger than 22 MB. Please choose a smaller image.",
        "internal": "500 internal: Something went wrong while processing the image. Please try again.",
        "invalid_file_type": "400 invalid_file_type: Only JPEG, PNG and WebP images are supported.",
        "invalid_image_url": "400 invalid_image_url: Please enter a full web address starting with http:// or https://.",
        "invalid_roi": "400 invalid_roi: Raw message.",
        "missing_source": "400 missing_source: Please choose an image first.",
        "multiline": "400 odd: The image could not be processed.",
        "resolution_too_high": "400 resolution_too_high: That image has more than 50 megapixels. Please choose a smaller image.",
        "service_unavailable": "503 service_unavailable: The background remover is busy or starting up. Please try again in a minute.",
        "timeout": "503 timeout: Processing took too long. Please try again.",
      }
    `);
  });

  it('answers with {"error":{code,message}} and the error’s headers', async () => {
    const res = webErrorResponse(new UserError('rate_limited', 'Please wait a minute.', 429, { 'Retry-After': '7' }));
    expect({
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: await res.json(),
    }).toMatchInlineSnapshot(`
      {
        "body": {
          "error": {
            "code": "rate_limited",
            "message": "Please wait a minute.",
          },
        },
        "retryAfter": "7",
        "status": 429,
      }
    `);
  });
});

describe('tRPC errors over HTTP', () => {
  const t = withTestDb('pglite');
  let storageDir: string;
  let admin: { id: string; email: string; role: string };
  let user: { id: string; email: string; role: string };
  let poor: { id: string; email: string; role: string };
  const saved = {
    STORAGE_DIR: process.env.STORAGE_DIR,
    INFERENCE_URLS: process.env.INFERENCE_URLS,
    INFERENCE_SECRET: process.env.INFERENCE_SECRET,
  };

  beforeAll(async () => {
    storageDir = mkdtempSync(path.join(tmpdir(), 'bgr-golden-'));
    process.env.STORAGE_DIR = storageDir;
    process.env.INFERENCE_URLS = DEAD_INFERENCE.url;
    process.env.INFERENCE_SECRET = DEAD_INFERENCE.secret;
    const made = async (role: 'admin' | 'user', units: number) => {
      const row = await createUser(t.db, {
        email: `golden-${role}-${randomUUID()}@example.com`,
        password: 'long enough password',
        role,
      });
      if (units > 0) await grant(t.db, { userId: row.id, units, kind: 'payg' });
      return { id: row.id, email: row.email, role };
    };
    admin = await made('admin', 0);
    user = await made('user', 40);
    poor = await made('user', 0);
  });
  afterAll(async () => {
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  async function call(
    as: { id: string; email: string; role: string } | null,
    procedure: string,
    input: unknown,
    kind: 'query' | 'mutation',
  ) {
    const base = `http://localhost/api/trpc/${procedure}`;
    const payload = JSON.stringify(superjson.serialize(input));
    const req =
      kind === 'query'
        ? new Request(`${base}?input=${encodeURIComponent(payload)}`)
        : new Request(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    const res = await handleTrpcRequest(req, () =>
      createTRPCContext({ db: t.db, headers: new Headers(), session: sessionFor(as) }),
    );
    const body = await res.json();
    const error = body.error?.json;
    if (!error) return { status: res.status, ok: true, message: undefined };
    return {
      status: res.status,
      code: error.data.code,
      httpStatus: error.data.httpStatus,
      message: error.message,
      ...(error.data.zodError ? { zodError: error.data.zodError } : {}),
    };
  }

  const image = async (owner: string, width = 160, height = 120) =>
    createImage(t.db, {
      userId: owner,
      contentHash: randomUUID(),
      originalName: 'golden.jpg',
      width,
      height,
      bytes: 1000,
      storageKey: `golden/${randomUUID()}/original.jpg`,
      consentImprove: false,
      source: 'web',
    });

  it('guards, inputs and the routers’ own refusals', async () => {
    const out: Record<string, unknown> = {};
    out.anonymous = await call(null, 'images.recent', {}, 'query');
    out.notAdmin = await call(user, 'admin.audit', { limit: 5 }, 'query');
    out.badInput = await call(user, 'images.get', { id: 'not-a-uuid' }, 'query');
    out.imageNotFound = await call(user, 'images.get', { id: randomUUID() }, 'query');
    out.apiKeyNotFound = await call(user, 'apiKeys.revoke', { id: randomUUID() }, 'mutation');
    out.userNotFound = await call(admin, 'admin.user', { userId: randomUUID() }, 'query');
    out.duplicateEmail = await call(
      admin,
      'admin.createUser',
      { email: user.email, password: 'long enough password' },
      'mutation',
    );
    out.disableSelf = await call(admin, 'admin.setDisabled', { userId: admin.id, disabled: true }, 'mutation');
    out.lastAdmin = await call(admin, 'admin.setRole', { userId: admin.id, role: 'user' }, 'mutation');
    out.expiredGrant = await call(
      admin,
      'admin.grant',
      { userId: user.id, credits: 1, kind: 'promo', expiresAt: new Date(Date.now() - 60_000) },
      'mutation',
    );
    out.paygWithExpiry = await call(
      admin,
      'admin.grant',
      { userId: user.id, credits: 1, kind: 'payg', expiresAt: new Date(Date.now() + 86_400_000) },
      'mutation',
    );
    out.grantUnknownUser = await call(
      admin,
      'admin.grant',
      { userId: randomUUID(), credits: 1, kind: 'promo' },
      'mutation',
    );
    out.changeNoPlan = await call(admin, 'admin.changePlan', { userId: poor.id, monthlyCredits: 5 }, 'mutation');
    out.cancelNoPlan = await call(admin, 'admin.cancelPlan', { userId: poor.id }, 'mutation');
    expect((await call(admin, 'admin.startPlan', { userId: poor.id, monthlyCredits: 5 }, 'mutation')).ok).toBe(true);
    out.planExists = await call(admin, 'admin.startPlan', { userId: poor.id, monthlyCredits: 5 }, 'mutation');
    expect(out).toMatchInlineSnapshot(`
      {
        "anonymous": {
          "code": "UNAUTHORIZED",
          "httpStatus": 401,
          "message": "Please sign in to continue.",
          "status": 401,
        },
        "apiKeyNotFound": {
          "code": "NOT_FOUND",
          "httpStatus": 404,
          "message": "That API key does not exist.",
          "status": 404,
        },
        "badInput": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "[
        {
          "origin": "string",
          "code": "invalid_format",
          "format": "uuid",
          "pattern": "/^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/",
          "path": [
            "id"
          ],
          "message": "Invalid UUID"
        }
      ]",
          "status": 400,
          "zodError": [
            "Invalid UUID",
          ],
        },
        "cancelNoPlan": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "This user has no plan to cancel.",
          "status": 400,
        },
        "changeNoPlan": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "This user has no plan to change. Start one instead.",
          "status": 400,
        },
        "disableSelf": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "You cannot disable your own account.",
          "status": 400,
        },
        "duplicateEmail": {
          "code": "CONFLICT",
          "httpStatus": 409,
          "message": "An account with this email already exists.",
          "status": 409,
        },
        "expiredGrant": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "The expiry date must be in the future.",
          "status": 400,
        },
        "grantUnknownUser": {
          "code": "NOT_FOUND",
          "httpStatus": 404,
          "message": "That user does not exist.",
          "status": 404,
        },
        "imageNotFound": {
          "code": "NOT_FOUND",
          "httpStatus": 404,
          "message": "That image does not exist or has been deleted.",
          "status": 404,
        },
        "lastAdmin": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "This is the only administrator. Promote someone else first.",
          "status": 400,
        },
        "notAdmin": {
          "code": "FORBIDDEN",
          "httpStatus": 403,
          "message": "Only administrators can do this.",
          "status": 403,
        },
        "paygWithExpiry": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "[
        {
          "code": "custom",
          "path": [
            "expiresAt"
          ],
          "message": "Pay-as-you-go credits always expire two years after purchase; leave the expiry empty."
        }
      ]",
          "status": 400,
          "zodError": [
            "Pay-as-you-go credits always expire two years after purchase; leave the expiry empty.",
          ],
        },
        "planExists": {
          "code": "CONFLICT",
          "httpStatus": 409,
          "message": "This user already has a subscription; change its plan instead.",
          "status": 409,
        },
        "userNotFound": {
          "code": "NOT_FOUND",
          "httpStatus": 404,
          "message": "That user does not exist.",
          "status": 404,
        },
      }
    `);
  });

  it('HD refusals keep their sentence and map their status to a tRPC code', async () => {
    const out: Record<string, unknown> = {};
    const mine = await image(user.id);
    out.missing = await call(user, 'images.hd', { id: randomUUID(), format: 'png' }, 'mutation');
    out.badColour = await call(user, 'images.hd', { id: mine.id, format: 'png', bgColor: '#abcd' }, 'mutation');
    out.pngTooBig = await call(
      user,
      'images.hd',
      { id: (await image(user.id, 9000, 9000)).id, format: 'png' },
      'mutation',
    );
    const broke = await createUser(t.db, {
      email: `golden-broke-${randomUUID()}@example.com`,
      password: 'long enough password',
    });
    const asBroke = { id: broke.id, email: broke.email, role: 'user' };
    out.noCredits = await call(asBroke, 'images.hd', { id: (await image(broke.id)).id, format: 'png' }, 'mutation');
    out.originalGone = await call(user, 'images.hd', { id: mine.id, format: 'png' }, 'mutation');
    const stored = await image(user.id);
    await new LocalStorage(storageDir).put(stored.storageKey, await makePhoto());
    out.inferenceDown = await call(user, 'images.hd', { id: stored.id, format: 'png' }, 'mutation');
    await recordLimitHit(t.db, { bucket: webQuotaBucket('hd', user.id), limit: 60, windowMs: 60_000, cost: 60 });
    const limited = await call(user, 'images.hd', { id: mine.id, format: 'png' }, 'mutation');
    out.rateLimited = { ...limited, message: String(limited.message).replace(/\d+ seconds?/, 'N seconds') };
    expect(out).toMatchInlineSnapshot(`
      {
        "badColour": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "That background colour is not valid.",
          "status": 400,
        },
        "inferenceDown": {
          "code": "INTERNAL_SERVER_ERROR",
          "httpStatus": 500,
          "message": "The background remover is busy or starting up. Please try again in a minute.",
          "status": 500,
        },
        "missing": {
          "code": "NOT_FOUND",
          "httpStatus": 404,
          "message": "That image does not exist or has been deleted.",
          "status": 404,
        },
        "noCredits": {
          "code": "PAYMENT_REQUIRED",
          "httpStatus": 402,
          "message": "You need 1 credit to download this image in HD, but your balance is 0 credits. Nothing was charged.",
          "status": 402,
        },
        "originalGone": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "The original of this image has been deleted. Please upload it again.",
          "status": 400,
        },
        "pngTooBig": {
          "code": "BAD_REQUEST",
          "httpStatus": 400,
          "message": "Images over 10 megapixels are available as WebP or ZIP, not PNG.",
          "status": 400,
        },
        "rateLimited": {
          "code": "TOO_MANY_REQUESTS",
          "httpStatus": 429,
          "message": "You have reached the limit of 60 HD renders a minute. Please try again in N seconds.",
          "status": 429,
        },
      }
    `);
  });

  it('a body over the cap is PAYLOAD_TOO_LARGE', async () => {
    const req = new Request('http://localhost/api/trpc/apiKeys.create', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { name: 'x'.repeat(1_100_000) } }),
    });
    const res = await handleTrpcRequest(req, () =>
      createTRPCContext({ db: t.db, headers: new Headers(), session: sessionFor(user) }),
    );
    const error = (await res.json()).error.json;
    expect({ status: res.status, code: error.data.code, message: error.message }).toMatchInlineSnapshot(`
      {
        "code": "PAYLOAD_TOO_LARGE",
        "message": "The request body is larger than the 1 MB this address accepts.",
        "status": 413,
      }
    `);
  });
});
