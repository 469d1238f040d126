import { InferenceError } from '@bgr/inference-client';
import { describe, expect, it } from 'vitest';
import { FetchUrlError } from '../../src/server/fetch-url';
import { ApiError, toApiError } from '../../src/server/removebg/errors';
import { errorResponse, preflight } from '../../src/server/removebg/http';
import { creditsChargedHeader, removeBgResponse, wantsJson } from '../../src/server/removebg/response';

const rate = { limit: 500, remaining: 499, resetAt: 1_800_000_000 };
const rendered = {
  body: Buffer.from('fake-png-bytes'),
  contentType: 'image/png',
  width: 10,
  height: 8,
  foreground: { top: 1, left: 2, width: 3, height: 4 },
};

describe('error shapes', () => {
  it('passes remove.bg codes from the renderer and the fetcher through unchanged', () => {
    const roi = toApiError(
      new InferenceError(
        'roi_exceeds_bounds',
        400,
        'Region of interest exceeds the image bounds',
        'The roi reaches outside.',
      ),
    );
    expect([roi.code, roi.status, roi.detail]).toEqual(['roi_exceeds_bounds', 400, 'The roi reaches outside.']);
    const busy = toApiError(new InferenceError('service_unavailable', 503, 'Service unavailable'));
    expect([busy.code, busy.status]).toEqual(['service_unavailable', 503]);
    const fetch = toApiError(
      new FetchUrlError(
        'failed_image_download',
        'refused',
        'The address 10.0.0.1 was refused for safety: it is a private address.',
      ),
    );
    expect([fetch.code, fetch.status]).toEqual(['failed_image_download', 400]);
  });

  it('never shows internal messages or stack traces', async () => {
    const hidden = toApiError(new Error('ECONNREFUSED at Object.<anonymous> (/srv/x.js:1:1)'));
    expect(hidden.code).toBe('internal');
    expect(hidden.status).toBe(500);
    expect(hidden.detail).not.toContain('ECONNREFUSED');
    // A wrong inference secret is our misconfiguration, not the caller's 401.
    expect(toApiError(new InferenceError('unauthorized', 401, 'Missing or wrong inference secret')).status).toBe(500);
    const original = console.error;
    console.error = () => {};
    try {
      const res = errorResponse(new TypeError('x is undefined'));
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        errors: [{ title: 'Internal error', code: 'internal', detail: expect.any(String) }],
      });
    } finally {
      console.error = original;
    }
  });

  it('answers JSON error bodies with CORS, Retry-After on 503 and the error’s own headers', async () => {
    const res = errorResponse(new ApiError('rate_limit_exceeded', 'Slow down.', { 'Retry-After': '12' }));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('12');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({
      errors: [{ title: 'Rate limit exceeded', code: 'rate_limit_exceeded', detail: 'Slow down.' }],
    });
    // A 429 whose error names no wait (a passed-through code) still says when to retry.
    const passedThrough = errorResponse(
      Object.assign(new Error('x'), { code: 'too_many_requests', status: 429, detail: 'Later.' }),
    );
    expect([passedThrough.status, passedThrough.headers.get('retry-after')]).toEqual([429, '60']);
    const busy = errorResponse(new InferenceError('service_unavailable', 503, 'Service unavailable', 'Busy.'));
    expect(busy.headers.get('retry-after')).toBe('5');
    const noDetail = errorResponse(new ApiError('auth_failed'));
    expect(await noDetail.json()).toEqual({ errors: [{ title: 'API Key invalid', code: 'auth_failed' }] });
  });

  it('answers preflights with the requested headers', () => {
    const res = preflight(
      new Request('http://x/v1.0/removebg', {
        method: 'OPTIONS',
        headers: { 'Access-Control-Request-Headers': 'x-api-key' },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe('x-api-key');
  });
});

describe('success shapes', () => {
  it('reports credits as 0.25, 1 or 0', () => {
    expect([1, 4, 0].map(creditsChargedHeader)).toEqual(['0.25', '1', '0']);
  });

  it('chooses JSON only when the client accepts application/json', () => {
    const req = (accept?: string) => new Request('http://x/', accept ? { headers: { accept } } : {});
    expect(wantsJson(req('application/json'))).toBe(true);
    expect(wantsJson(req('image/*, application/json;q=0.5'))).toBe(true);
    expect(wantsJson(req('application/json;q=0'))).toBe(false);
    expect(wantsJson(req('*/*'))).toBe(false);
    expect(wantsJson(req())).toBe(false);
  });

  it('answers bytes with the X- headers, or the JSON envelope', async () => {
    const bytes = removeBgResponse(new Request('http://x/'), rendered, { units: 1 }, rate);
    expect(bytes.headers.get('content-type')).toBe('image/png');
    expect(Object.fromEntries([...bytes.headers].filter(([k]) => k.startsWith('x-')))).toEqual({
      'x-credits-charged': '0.25',
      'x-width': '10',
      'x-height': '8',
      'x-foreground-top': '1',
      'x-foreground-left': '2',
      'x-foreground-width': '3',
      'x-foreground-height': '4',
      'x-ratelimit-limit': '500',
      'x-ratelimit-remaining': '499',
      'x-ratelimit-reset': '1800000000',
    });
    expect(Buffer.from(await bytes.arrayBuffer()).toString()).toBe('fake-png-bytes');
    const json = removeBgResponse(
      new Request('http://x/', { headers: { accept: 'application/json' } }),
      rendered,
      { units: 4 },
      rate,
    );
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.headers.get('x-credits-charged')).toBe('1');
    expect(await json.json()).toStrictEqual({
      data: {
        result_b64: Buffer.from('fake-png-bytes').toString('base64'),
        foreground_top: 1,
        foreground_left: 2,
        foreground_width: 3,
        foreground_height: 4,
      },
    });
  });
});
