/**
 * The developer story, against the real production server: an admin gives a developer an account
 * with credits, the developer creates an API key, and then talks to /v1.0 the way any remove.bg
 * client does — over plain HTTP, no browser. Uses its own user and key, so the other specs'
 * balances are untouched.
 *
 * The large-body cases prove that uploads near the 22 MB limit reach the route handler whole
 * through Next.js (multipart and base64-in-JSON), and that a larger one gets remove.bg's own
 * file_too_large rather than a framework error.
 */
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import sharp from 'sharp';
import { E2E } from './support/stack';
import { signIn } from './support/helpers';

test.describe.configure({ mode: 'serial' });

const run = Date.now().toString(36);
const developer = { email: `dev-${run}@e2e.test`, password: 'dev-password-e2e', name: 'Dana Developer' };
const MB = 1024 * 1024;
let apiKey = '';

/** A small synthetic photo: a figure in front of a gradient (never the eval images). */
async function photo(width: number, height: number): Promise<Buffer> {
  const r = Math.min(width, height) * 0.3;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#a4c8e1"/><stop offset="1" stop-color="#f4eedd"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width / 2}" cy="${height / 2 - r * 0.9}" r="${r * 0.45}" fill="#c98b6b"/>
    <rect x="${width / 2 - r * 0.6}" y="${height / 2 - r * 0.4}" width="${r * 1.2}" height="${r * 1.7}" rx="${r * 0.3}" fill="#37474f"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** `size` bytes that start like a JPEG (SOI + JFIF APP0) and then are noise: not a decodable image. */
function corruptJpeg(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = 0x9e3779b9;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes.writeUInt32LE(x >>> 0, i);
  }
  Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex').copy(bytes, 0);
  return bytes;
}

async function credits(
  request: APIRequestContext,
): Promise<{ total: number; subscription: number; payg: number; enterprise: number }> {
  const res = await request.get('/v1.0/account', { headers: { 'X-Api-Key': apiKey } });
  expect(res.status()).toBe(200);
  return (
    (await res.json()) as {
      data: { attributes: { credits: { total: number; subscription: number; payg: number; enterprise: number } } };
    }
  ).data.attributes.credits;
}

/** The remove.bg error of a response: status, JSON content type, CORS, one error with a code. */
async function apiError(res: APIResponse): Promise<{ status: number; code: string | undefined; detail?: string }> {
  expect(res.headers()['content-type']).toBe('application/json');
  expect(res.headers()['access-control-allow-origin']).toBe('*');
  const body = (await res.json()) as { errors: Array<{ title: string; code: string; detail?: string }> };
  expect(body.errors).toHaveLength(1);
  return { status: res.status(), code: body.errors[0]?.code, detail: body.errors[0]?.detail };
}

/** Codes a framework (not our handler) or a cut-off body would produce: none may appear. */
const NOT_REACHED = ['invalid_request', 'file_too_large', 'missing_source', 'internal'];

test('an admin gives a developer an account with credits; the developer creates an API key', async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, E2E.admin);
  await admin.getByRole('link', { name: 'Admin', exact: true }).click();
  await admin.getByLabel('Email', { exact: true }).fill(developer.email);
  await admin.getByLabel('Name (optional)').fill(developer.name);
  await admin.getByLabel('Initial password').fill(developer.password);
  await admin.getByRole('button', { name: 'Create user' }).click();
  await expect(admin.getByText(`Created ${developer.email}.`)).toBeVisible();
  await admin.getByLabel('Search users by email or name').fill(developer.email);
  await admin.getByRole('button', { name: 'Search' }).click();
  await admin.getByTestId('users-table').getByRole('link', { name: developer.email }).click();
  await admin.getByLabel('Credits', { exact: true }).fill('5');
  await admin.getByLabel('Note for the audit log', { exact: true }).first().fill(`API e2e ${run}`);
  await admin.getByRole('button', { name: 'Grant credits' }).click();
  await expect(admin.getByText('Credits granted and recorded in the audit log.')).toBeVisible();
  await admin.context().close();

  const page = await (await browser.newContext()).newPage();
  await signIn(page, developer);
  await page.goto('/api-keys');
  await page.getByLabel('Name').fill('Build pipeline');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = page.getByTestId('new-api-key').locator('code');
  await expect(secret).toHaveText(/^bgr_[0-9a-f]{20,}$/);
  apiKey = (await secret.textContent())!;
  await page.context().close();
});

test('a multipart preview of a photo returns a PNG for ¼ credit, and the account shows it', async ({ request }) => {
  expect(await credits(request)).toEqual({ total: 5, subscription: 0, payg: 5, enterprise: 0 });
  const res = await request.post('/v1.0/removebg', {
    headers: { 'X-Api-Key': apiKey },
    multipart: {
      image_file: { name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: await photo(640, 480) },
      size: 'preview',
    },
  });
  expect(res.status()).toBe(200);
  const headers = res.headers();
  expect(headers['content-type']).toBe('image/png');
  expect(headers['x-credits-charged']).toBe('0.25');
  expect(headers['access-control-allow-origin']).toBe('*');
  expect(headers['x-ratelimit-limit']).toMatch(/^\d+$/);
  const meta = await sharp(await res.body()).metadata();
  expect([meta.format, meta.hasAlpha]).toEqual(['png', true]);
  // A preview is at most 0.25 megapixels, and the headers say its size.
  expect((meta.width ?? 0) * (meta.height ?? 0)).toBeLessThanOrEqual(250_000);
  expect([headers['x-width'], headers['x-height']]).toEqual([String(meta.width), String(meta.height)]);
  expect(await credits(request)).toEqual({ total: 4.75, subscription: 0, payg: 4.75, enterprise: 0 });
});

test('a 23 MB upload (and a 40 MB one) is refused as file_too_large by the API itself, not cut off by the server', async ({
  request,
}) => {
  const res = await request.post('/v1.0/removebg', {
    headers: { 'X-Api-Key': apiKey },
    multipart: {
      image_file: { name: 'huge.jpg', mimeType: 'image/jpeg', buffer: corruptJpeg(23 * MB) },
      size: 'preview',
    },
  });
  const error = await apiError(res);
  expect(error).toMatchObject({ status: 400, code: 'file_too_large' });
  expect(res.headers()['x-credits-charged']).toBeUndefined();

  // Far over every limit (40 MB of base64 in JSON, past the 33 MB body cap): refused from its
  // declared length before the body is read — 413, same code.
  const huge = await request.post('/v1.0/removebg', {
    headers: { 'X-Api-Key': apiKey, 'Content-Type': 'application/json' },
    data: JSON.stringify({ image_file_b64: corruptJpeg(30 * MB).toString('base64') }),
  });
  expect(await apiError(huge)).toMatchObject({ status: 413, code: 'file_too_large' });
  expect((await credits(request)).total).toBe(4.75);
});

test('a 21 MB corrupt JPEG reaches the handler whole, as multipart and as base64 in JSON, and charges nothing', async ({
  request,
}) => {
  const bytes = corruptJpeg(21 * MB);
  const multipart = await request.post('/v1.0/removebg', {
    headers: { 'X-Api-Key': apiKey },
    multipart: { image_file: { name: 'broken.jpg', mimeType: 'image/jpeg', buffer: bytes }, size: 'preview' },
  });
  const fromMultipart = await apiError(multipart);
  // The image service read the bytes and said what is wrong with them: the body arrived intact.
  expect(fromMultipart.status).toBe(400);
  expect(['failed_to_read_image', 'invalid_file_type']).toContain(fromMultipart.code);
  expect(NOT_REACHED).not.toContain(fromMultipart.code);

  // The same bytes as base64 in a JSON body (28 MiB, about 29 MB): same answer.
  const b64 = bytes.toString('base64');
  expect(b64.length).toBeGreaterThan(29_000_000);
  const json = await request.post('/v1.0/removebg', {
    headers: { 'X-Api-Key': apiKey, 'Content-Type': 'application/json' },
    data: JSON.stringify({ image_file_b64: b64, size: 'preview' }),
  });
  const fromJson = await apiError(json);
  expect({ status: fromJson.status, code: fromJson.code }).toEqual({ status: 400, code: fromMultipart.code });

  expect((await credits(request)).total).toBe(4.75);
});

test('a browser on another origin may call the API: preflights are answered; the OpenAPI document is served', async ({
  request,
}) => {
  const res = await request.fetch('/v1.0/removebg', {
    method: 'OPTIONS',
    headers: {
      Origin: 'https://shop.example',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'x-api-key, content-type',
    },
  });
  expect(res.status()).toBe(204);
  const headers = res.headers();
  expect(headers['access-control-allow-origin']).toBe('*');
  expect(headers['access-control-allow-methods']).toContain('POST');
  expect(headers['access-control-allow-headers']?.toLowerCase()).toContain('x-api-key');
  expect(headers['access-control-expose-headers']).toContain('X-Credits-Charged');
  // The API describes itself for client generators.
  const doc = await request.get('/v1.0/openapi.json');
  expect(doc.status()).toBe(200);
  const openapi = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(openapi.openapi).toBe('3.1.0');
  expect(Object.keys(openapi.paths).sort()).toEqual(['/account', '/improve', '/removebg']);
});

test('a wrong key gets exactly remove.bg’s 403 answer', async ({ request }) => {
  for (const key of ['bgr_0000000000000000000000000000000000000000', apiKey.slice(0, -1)]) {
    const res = await request.post('/v1.0/removebg', {
      headers: { 'X-Api-Key': key },
      multipart: { image_file: { name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: await photo(64, 48) } },
    });
    expect(res.status()).toBe(403);
    expect(res.headers()['content-type']).toBe('application/json');
    expect(await res.text()).toBe('{"errors":[{"title":"API Key invalid","code":"auth_failed"}]}');
  }
  const account = await request.get('/v1.0/account', { headers: { 'X-Api-Key': 'nonsense' } });
  expect(account.status()).toBe(403);
  expect(await account.text()).toBe('{"errors":[{"title":"API Key invalid","code":"auth_failed"}]}');
});
