/**
 * The OpenAPI 3.1 description of the remove.bg-compatible endpoints, served at
 * GET /v1.0/openapi.json. A static object: the behaviour lives in this module's code, and the
 * API tests check that the error codes listed here are the ones the handlers answer with.
 */
import { CHANNELS, FORMATS, MAX_INPUT_PIXELS, SHADOW_TYPES, SIZES } from '@bgr/inference-client/options';
import { MAX_UPLOAD_MB } from '~/lib/upload-limit';
import { API_ERROR_CODES } from './errors';

const errorBody = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['title', 'code'],
        properties: {
          title: { type: 'string' },
          code: { type: 'string', enum: Object.keys(API_ERROR_CODES) },
          detail: { type: 'string', description: 'A sentence saying what was wrong.' },
        },
      },
    },
  },
} as const;

const error = (description: string, extraHeaders: Record<string, unknown> = {}) => ({
  description,
  headers: extraHeaders,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const rateLimitHeaders = {
  // Sent on every answer to an authenticated call, errors included.
  'X-RateLimit-Limit': { schema: { type: 'integer' }, description: 'Megapixel-units allowed per minute.' },
  'X-RateLimit-Remaining': { schema: { type: 'integer' }, description: 'Megapixel-units left in the current minute.' },
  'X-RateLimit-Reset': { schema: { type: 'integer' }, description: 'Unix time (seconds) when the window frees up.' },
};

const removeBgParams = {
  type: 'object',
  description:
    'Give the image by exactly one of image_file, image_file_b64 and image_url. Empty fields count as not set; unknown fields are ignored.',
  properties: {
    image_file: {
      type: 'string',
      contentMediaType: 'application/octet-stream',
      description: `JPEG, PNG or WebP, at most ${MAX_UPLOAD_MB} MB and ${MAX_INPUT_PIXELS / 1e6} megapixels (multipart only).`,
    },
    image_file_b64: { type: 'string', description: 'The image as base64; a data: URI prefix is accepted.' },
    image_url: {
      type: 'string',
      format: 'uri',
      description:
        'A public http(s) URL. Private, loopback, link-local and reserved addresses are refused unless allow-listed by the server.',
    },
    size: {
      type: 'string',
      enum: [...SIZES],
      default: 'preview',
      description:
        'preview/small/regular: up to 0.25 MP (¼ credit); medium, hd, full, 4k, 50MP: 1 credit; auto: priced by the output produced.',
    },
    type: { type: 'string', default: 'auto', description: 'Foreground type hint (accepted).' },
    type_level: { type: 'string', description: 'Accepted, no effect.' },
    format: {
      type: 'string',
      enum: [...FORMATS],
      default: 'auto',
      description: 'zip holds color.jpg and alpha.png. PNG output is capped at 10 MP.',
    },
    roi: { type: 'string', description: 'Region of interest "x1 y1 x2 y2" in px or %; unitless 0 accepted.' },
    crop: { type: 'boolean', default: false },
    crop_margin: { type: 'string', description: 'Margin around the cropped subject (px or %; 1, 2 or 4 values).' },
    scale: { type: 'string', description: '"10%" to "100%", or "original".' },
    position: { type: 'string', description: '"original", "center", or one or two percentages.' },
    channels: { type: 'string', enum: [...CHANNELS], default: 'rgba' },
    bg_color: { type: 'string', description: 'Hex colour with 3, 4, 6 or 8 digits (e.g. 81d4fa77), or a colour name.' },
    bg_image_url: { type: 'string', format: 'uri', description: 'Background image URL (fetched like image_url).' },
    bg_image_file: {
      type: 'string',
      contentMediaType: 'application/octet-stream',
      description: 'Background image upload (multipart only).',
    },
    semitransparency: {
      type: 'boolean',
      default: true,
      description: 'false: a hard alpha, fully opaque or transparent except a 1-pixel anti-aliased edge.',
    },
    add_shadow: { type: 'boolean', default: false, description: 'true is the older spelling of shadow_type=auto.' },
    shadow_type: {
      type: 'string',
      enum: [...SHADOW_TYPES],
      default: 'none',
      description:
        'A shadow under the subject, in every output format (with a background it darkens it; crop includes it). auto: car for a wide, bottom-heavy subject in the lower third of the image (or type=car), else drop. No extra charge.',
    },
    shadow_opacity: {
      type: 'integer',
      minimum: 0,
      maximum: 100,
      default: 50,
      description: 'Shadow opacity in per cent: 90 by default for a car shadow, 50 for the others.',
    },
  },
} as const;

const imageSourceParams = {
  type: 'object',
  properties: {
    image_file: removeBgParams.properties.image_file,
    image_file_b64: removeBgParams.properties.image_file_b64,
    image_url: removeBgParams.properties.image_url,
    image_filename: { type: 'string' },
    tag: { type: 'string', description: 'A label for the submission, e.g. what went wrong.' },
  },
} as const;

const body = (schema: unknown) => ({
  required: true,
  content: {
    'multipart/form-data': { schema },
    'application/x-www-form-urlencoded': { schema },
    'application/json': { schema },
  },
});

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Background removal API (remove.bg compatible)',
    version: '1.0.0',
    description:
      'Drop-in compatible with the remove.bg API: point a remove.bg client at http://HOST:PORT/v1.0. Credits: 1 credit = 4 units; previews cost ¼ credit, full-size results 1 credit. Every error body is {"errors":[{"title","code","detail"?}]}.',
  },
  servers: [{ url: '/v1.0' }],
  security: [{ apiKey: [] }],
  paths: {
    '/removebg': {
      post: {
        operationId: 'removeBackground',
        summary: 'Remove the background of an image',
        parameters: [
          {
            name: 'Accept',
            in: 'header',
            schema: { type: 'string' },
            description: 'application/json for the JSON envelope; otherwise the image bytes.',
          },
          {
            name: 'Idempotency-Key',
            in: 'header',
            schema: { type: 'string' },
            description:
              'Binds the call to this request (image bytes or URL and every parameter) for 24 hours, per account. The same key with the same request after a successful call is a free replay (same result, X-Credits-Charged: 0, Idempotent-Replayed: true); with a different request (or an image_url/bg_image_url now serving other bytes) it is refused (422 idempotency_key_reused); while the first call runs, 409. A failed call stores nothing: retry it under the same key.',
          },
        ],
        requestBody: body(removeBgParams),
        responses: {
          '200': {
            description: 'The result image (PNG, JPG, WebP or ZIP), or the JSON envelope.',
            headers: {
              'X-Credits-Charged': { schema: { type: 'string', enum: ['0', '0.25', '1'] } },
              'Idempotent-Replayed': {
                schema: { type: 'string', enum: ['true'] },
                description:
                  'Present on a replay of an earlier successful call with the same Idempotency-Key and request.',
              },
              'X-Width': { schema: { type: 'integer' } },
              'X-Height': { schema: { type: 'integer' } },
              'X-Foreground-Top': { schema: { type: 'integer' } },
              'X-Foreground-Left': { schema: { type: 'integer' } },
              'X-Foreground-Width': { schema: { type: 'integer' } },
              'X-Foreground-Height': { schema: { type: 'integer' } },
              ...rateLimitHeaders,
            },
            content: {
              'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } },
              'image/jpeg': { schema: { type: 'string', contentMediaType: 'image/jpeg' } },
              'image/webp': { schema: { type: 'string', contentMediaType: 'image/webp' } },
              'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } },
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    data: {
                      type: 'object',
                      properties: {
                        result_b64: { type: 'string' },
                        foreground_top: { type: 'integer' },
                        foreground_left: { type: 'integer' },
                        foreground_width: { type: 'integer' },
                        foreground_height: { type: 'integer' },
                      },
                    },
                  },
                },
              },
            },
          },
          '400': error(
            'Invalid input: missing_source, multiple_sources, file_too_large, resolution_too_high, invalid_file_type, failed_to_read_image, failed_image_download, invalid_image_url, invalid_size, invalid_format, invalid_channels, invalid_roi, roi_exceeds_bounds, roi_region_empty, invalid_crop_margin, invalid_scale, invalid_position, invalid_bg_color, multiple_bg_sources, failed_bg_download, invalid_bg_image_url, invalid_options, invalid_request. Nothing is charged.',
            rateLimitHeaders,
          ),
          '402': error(
            'insufficient_credits: not enough credits for the requested size (checked before the image is downloaded or read).',
            rateLimitHeaders,
          ),
          '403': error('auth_failed: the X-Api-Key header is missing or wrong.'),
          '409': error(
            'idempotency_conflict: a request with the same Idempotency-Key is still running.',
            rateLimitHeaders,
          ),
          '422': error(
            'idempotency_key_reused: the Idempotency-Key was used for a different request in the last 24 hours. Nothing is rendered or charged.',
            rateLimitHeaders,
          ),
          '429': error(
            'rate_limit_exceeded: over the per-minute megapixel budget of the account (all its API keys together).',
            {
              'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' },
              ...rateLimitHeaders,
            },
          ),
          '503': error('service_unavailable: the processing service is busy or starting.'),
        },
      },
    },
    '/account': {
      get: {
        operationId: 'getAccount',
        summary: 'Credit balance and API information',
        responses: {
          '200': {
            description: 'Credits that can be spent now (held credits excluded).',
            headers: rateLimitHeaders,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    data: {
                      type: 'object',
                      properties: {
                        attributes: {
                          type: 'object',
                          properties: {
                            credits: {
                              type: 'object',
                              additionalProperties: false,
                              properties: {
                                total: { type: 'number' },
                                subscription: {
                                  type: 'number',
                                  description: 'This period’s subscription credits plus rollover.',
                                },
                                payg: { type: 'number', description: 'Pay-as-you-go credits.' },
                                enterprise: {
                                  type: 'number',
                                  description:
                                    'Promotional / granted credits, and for a team member the team credits open to them (up to their monthly cap).',
                                },
                              },
                            },
                            api: {
                              type: 'object',
                              additionalProperties: false,
                              properties: { free_calls: { type: 'integer' }, sizes: { type: 'string', enum: ['all'] } },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          '403': error('auth_failed'),
        },
      },
    },
    '/improve': {
      post: {
        operationId: 'submitImprovement',
        summary: 'Submit an image to the quality-improvement collection',
        description: 'At most 100 submissions per API key per UTC day (00:00–24:00 UTC), counted in the database.',
        requestBody: body(imageSourceParams),
        responses: {
          '200': {
            description: 'Stored.',
            headers: rateLimitHeaders,
            content: {
              'application/json': {
                schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
              },
            },
          },
          '400': error('Invalid input (same codes as /removebg for the image).', rateLimitHeaders),
          '403': error('auth_failed'),
          '429': error(
            'improve_limit_exceeded: at most 100 submissions per account (all its API keys together) per UTC calendar day (counted from 00:00 UTC, across all servers); Retry-After says how many seconds until the next UTC day begins.',
            {
              'Retry-After': { schema: { type: 'integer' }, description: 'Seconds until 00:00 UTC.' },
              ...rateLimitHeaders,
            },
          ),
        },
      },
    },
  },
  components: {
    securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
    schemas: { Error: errorBody },
  },
} as const;
