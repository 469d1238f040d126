import { MAX_UPLOAD_BYTES } from '@bgr/inference-client/options';
import { describe, expect, it } from 'vitest';
import { BODY_LIMITS } from '../../src/server/body-limit';
import { readFields } from '../../src/server/removebg/body';
import { ApiError } from '../../src/server/removebg/errors';
import {
  decodeBase64Image,
  parseBgColor,
  parseImproveParams,
  parseRemoveBgParams,
  unitlessZeros,
} from '../../src/server/removebg/params';

const URL_ = 'http://api.test/v1.0/removebg';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

function multipart(entries: Array<[string, string | Blob, string?]>): Request {
  const form = new FormData();
  for (const [name, value, filename] of entries) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, filename);
  }
  return new Request(URL_, { method: 'POST', body: form });
}

function json(body: unknown): Request {
  return new Request(URL_, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function urlencoded(params: Record<string, string>): Request {
  return new Request(URL_, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
}

async function apiError(run: () => unknown): Promise<ApiError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected an ApiError');
}

async function params(req: Request) {
  return parseRemoveBgParams(await readFields(req, 'removebg'));
}

describe('readFields', () => {
  it('reads multipart files and fields, dropping empty ones', async () => {
    const fields = await readFields(
      multipart([
        ['image_file', new Blob([PNG], { type: 'image/png' }), 'cat.png'],
        ['bg_image_file', new Blob([]), ''],
        ['size', 'full'],
        ['roi', ''],
        ['unknown_field', 'x'],
      ]),
      'removebg',
    );
    const file = fields.get('image_file');
    expect(typeof file === 'object' && Buffer.from(file.bytes).equals(PNG)).toBe(true);
    expect(typeof file === 'object' && file.filename).toBe('cat.png');
    expect(fields.has('bg_image_file')).toBe(false);
    expect(fields.has('roi')).toBe(false);
    expect(fields.get('size')).toBe('full');
  });

  it('reads url-encoded forms and JSON with booleans, numbers and nulls', async () => {
    const form = await readFields(
      urlencoded({ image_url: 'https://example.com/a.jpg', crop: 'true', scale: '' }),
      'removebg',
    );
    expect(Object.fromEntries(form)).toEqual({ image_url: 'https://example.com/a.jpg', crop: 'true' });
    const body = await readFields(
      json({ image_url: 'https://example.com/a.jpg', crop: false, shadow_opacity: 50, roi: null, nested: { a: 1 } }),
      'removebg',
    );
    expect(Object.fromEntries(body)).toEqual({
      image_url: 'https://example.com/a.jpg',
      crop: 'false',
      shadow_opacity: '50',
    });
  });

  it('reads a 22 MB multipart upload whole', async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES, 0xab);
    const fields = await readFields(
      multipart([
        ['image_file', new Blob([big]), 'big.jpg'],
        ['size', 'full'],
      ]),
      'removebg',
    );
    const file = fields.get('image_file');
    expect(typeof file === 'object' && file.bytes.byteLength).toBe(MAX_UPLOAD_BYTES);
  });

  it('refuses bodies over the limit as file_too_large, declared or streamed', async () => {
    const tooBig = new Uint8Array(BODY_LIMITS.removebg + 1);
    const declared = await apiError(() =>
      readFields(
        new Request(URL_, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(tooBig.length) },
          body: tooBig,
        }),
        'removebg',
      ),
    );
    expect(declared.code).toBe('file_too_large');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const streamed = await apiError(() =>
      readFields(
        new Request(URL_, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: stream,
          duplex: 'half',
        } as RequestInit),
        'removebg',
      ),
    );
    expect(declared.status).toBe(413);
    expect(streamed.code).toBe('file_too_large');
    expect(streamed.status).toBe(413);
  });

  it('refuses malformed JSON and unknown content types with a sentence', async () => {
    const bad = await apiError(() =>
      readFields(
        new Request(URL_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"size":' }),
        'removebg',
      ),
    );
    expect(bad.code).toBe('invalid_request');
    expect(bad.detail).toMatch(/not valid JSON/);
    const other = await apiError(() =>
      readFields(
        new Request(URL_, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }),
        'removebg',
      ),
    );
    expect(other.code).toBe('invalid_request');
  });
});

describe('parseRemoveBgParams', () => {
  it('applies defaults and accepts size aliases case-insensitively', async () => {
    const p = await params(json({ image_url: 'https://example.com/a.jpg' }));
    expect(p.options).toEqual({ size: 'preview', format: 'auto', channels: 'rgba' });
    expect(p.source).toEqual({ kind: 'url', url: 'https://example.com/a.jpg' });
    for (const size of ['preview', 'small', 'regular', 'medium', 'hd', 'full', '4k', '50MP', 'auto']) {
      expect((await params(json({ image_url: 'https://x.test/a', size }))).options.size).toBe(size);
    }
    expect((await params(json({ image_url: 'https://x.test/a', size: '50mp' }))).options.size).toBe('50MP');
    expect((await params(json({ image_url: 'https://x.test/a', format: 'PNG' }))).options.format).toBe('png');
  });

  it.each([
    ['size', 'huge', 'invalid_size'],
    ['format', 'gif', 'invalid_format'],
    ['channels', 'rgb', 'invalid_channels'],
    ['bg_color', 'not a colour!', 'invalid_bg_color'],
    ['bg_color', '12345', 'invalid_bg_color'],
    ['crop', 'maybe', 'invalid_options'],
    ['add_shadow', 'maybe', 'invalid_options'],
    ['shadow_type', 'soft', 'invalid_shadow_type'],
    ['shadow_opacity', '101', 'invalid_shadow_opacity'],
    ['shadow_opacity', '-1', 'invalid_shadow_opacity'],
    ['shadow_opacity', '12.5', 'invalid_shadow_opacity'],
    ['shadow_opacity', 'dark', 'invalid_shadow_opacity'],
  ])('%s=%s → %s', async (name, value, code) => {
    const err = await apiError(() => params(json({ image_url: 'https://x.test/a', [name]: value })));
    expect(err.code).toBe(code);
    expect(err.status).toBe(400);
    expect(err.detail).toContain(value);
  });

  it('reads booleans as strings or JSON booleans', async () => {
    for (const [value, expected] of [
      ['true', true],
      ['1', true],
      [true, true],
      ['false', false],
      ['0', false],
      [false, false],
    ] as const) {
      const p = await params(json({ image_url: 'https://x.test/a', crop: value, semitransparency: value }));
      expect(p.options.crop).toBe(expected);
      expect(p.options.semitransparency).toBe(expected);
    }
  });

  it('passes the geometry options through, with unitless zeros given units', async () => {
    const p = await params(
      urlencoded({
        image_url: 'https://x.test/a',
        roi: '0 0 100% 100%',
        crop: 'true',
        crop_margin: '0',
        scale: '80%',
        position: 'center',
        bg_color: '#81D4FA77',
        type: 'product',
        type_level: '2',
        add_shadow: 'false',
        shadow_type: 'car',
        shadow_opacity: '50',
        semitransparency: 'false',
      }),
    );
    expect(p.options).toEqual({
      size: 'preview',
      format: 'auto',
      channels: 'rgba',
      roi: '0px 0px 100% 100%',
      crop: true,
      cropMargin: '0px',
      scale: '80%',
      position: 'center',
      bgColor: '81d4fa77',
      type: 'product',
      semitransparency: false,
      shadowType: 'car',
      shadowOpacity: 50,
    });
    expect(unitlessZeros('10px 0 0.0 50%')).toBe('10px 0px 0px 50%');
  });

  it('passes the shadow through: any case, add_shadow=true as auto, opacity as a number', async () => {
    const shadow = async (fields: Record<string, unknown>) => {
      const p = await params(json({ image_url: 'https://x.test/a', ...fields }));
      return [p.options.shadowType, p.options.shadowOpacity];
    };
    expect(await shadow({})).toEqual([undefined, undefined]);
    expect(await shadow({ shadow_type: '3d' })).toEqual(['3D', undefined]);
    expect(await shadow({ shadow_type: 'DROP', shadow_opacity: 0 })).toEqual(['drop', 0]);
    expect(await shadow({ add_shadow: true })).toEqual(['auto', undefined]);
    expect(await shadow({ add_shadow: 'true', shadow_type: 'none' })).toEqual(['none', undefined]);
    expect(await shadow({ add_shadow: false })).toEqual([undefined, undefined]);
    expect(await shadow({ shadow_type: 'car', shadow_opacity: 100 })).toEqual(['car', 100]);
  });

  it('accepts hex colours of 3, 4, 6 and 8 digits and colour names', () => {
    expect(['fff', 'ffff', '81d4fa', '81d4fa77', '#ABC', 'green', 'Red'].map(parseBgColor)).toEqual([
      'fff',
      'ffff',
      '81d4fa',
      '81d4fa77',
      'abc',
      'green',
      'red',
    ]);
  });

  it('needs exactly one image source; an empty file part is not a source', async () => {
    const none = await apiError(() =>
      params(
        multipart([
          ['image_file', new Blob([]), 'empty.png'],
          ['size', 'preview'],
        ]),
      ),
    );
    expect(none.code).toBe('missing_source');
    const nothing = await apiError(() => params(json({})));
    expect(nothing.code).toBe('missing_source');
    const two = await apiError(() =>
      params(
        multipart([
          ['image_file', new Blob([PNG]), 'a.png'],
          ['image_url', 'https://x.test/a.png'],
        ]),
      ),
    );
    expect(two.code).toBe('multiple_sources');
    const emptyOther = await params(
      multipart([
        ['image_file', new Blob([PNG]), 'a.png'],
        ['image_url', ''],
      ]),
    );
    expect(emptyOther.source.kind).toBe('bytes');
  });

  it('allows at most one background source', async () => {
    const err = await apiError(() =>
      params(json({ image_url: 'https://x.test/a', bg_color: 'red', bg_image_url: 'https://x.test/bg.jpg' })),
    );
    expect(err.code).toBe('multiple_bg_sources');
    const bg = await params(json({ image_url: 'https://x.test/a', bg_image_url: 'https://x.test/bg.jpg' }));
    expect(bg.background).toEqual({ kind: 'url', url: 'https://x.test/bg.jpg' });
  });

  it('decodes base64 with or without a data: prefix', async () => {
    const b64 = PNG.toString('base64');
    for (const value of [b64, `data:image/png;base64,${b64}`, `${b64.slice(0, 10)}\n${b64.slice(10)}`]) {
      const p = await params(json({ image_file_b64: value }));
      expect(p.source.kind === 'bytes' && Buffer.from(p.source.bytes).equals(PNG)).toBe(true);
    }
    const bad = await apiError(() => decodeBase64Image('not*base64'));
    expect(bad.code).toBe('failed_to_read_image');
  });

  it('reads a url-encoded body whose `+` signs were not percent-encoded (curl --data)', async () => {
    const image = Buffer.concat([PNG, Buffer.from([0x00, 0xfb, 0xef, 0xbe, 0xfb, 0xff])]);
    const b64 = image.toString('base64');
    expect(b64).toContain('+');
    const raw = new Request(URL_, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `size=preview&image_file_b64=${b64}`,
    });
    const p = await params(raw);
    expect(p.source.kind === 'bytes' && Buffer.from(p.source.bytes).equals(image)).toBe(true);
    // Wrapped base64 (line breaks) with real `+` signs still decodes as before.
    expect(Buffer.from(decodeBase64Image(`${b64.slice(0, 8)}\r\n${b64.slice(8)}`)).equals(image)).toBe(true);
  });

  it('refuses decoded images over 22 MB as file_too_large', async () => {
    const err = await apiError(() => decodeBase64Image(Buffer.alloc(MAX_UPLOAD_BYTES + 3).toString('base64')));
    expect(err.code).toBe('file_too_large');
  });
});

describe('parseImproveParams', () => {
  it('takes the image, file name and tag', async () => {
    const p = parseImproveParams(
      await readFields(
        multipart([
          ['image_file', new Blob([PNG]), 'upload.png'],
          ['tag', 'hair'],
          ['image_filename', 'original.png'],
        ]),
        'improve',
      ),
    );
    expect(p.filename).toBe('original.png');
    expect(p.tag).toBe('hair');
    const fallback = parseImproveParams(
      await readFields(multipart([['image_file', new Blob([PNG]), 'upload.png']]), 'improve'),
    );
    expect(fallback.filename).toBe('upload.png');
  });
});
