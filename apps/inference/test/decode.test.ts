// Header-only limits and strict decoding, without the model.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { RenderError } from '@bgr/inference-client/errors';
import { MAX_UPLOAD_BYTES } from '@bgr/inference-client/options';
import { decodeImage, probe, sniffFormat } from '../src/pipeline/decode.ts';
import { subjectImage } from './support/images.ts';
import { pngBomb } from './support/png-bomb.ts';
import { codeOf } from './support/render-error.ts';

describe('probe', () => {
  it('tells the type from magic bytes, not the name', async () => {
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const webp = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
      .webp()
      .toBuffer();
    const jpg = await subjectImage({ width: 40, height: 30 });
    expect(sniffFormat(png)).toBe('png');
    expect(sniffFormat(webp)).toBe('webp');
    expect(sniffFormat(jpg)).toBe('jpeg');
    expect(await probe(jpg)).toMatchObject({ format: 'jpeg', width: 40, height: 30, hasAlpha: false });
  });

  it('refuses files that are not JPEG, PNG or WebP (invalid_file_type)', async () => {
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
      .gif()
      .toBuffer();
    expect(await codeOf(probe(gif))).toBe('invalid_file_type');
    expect(await codeOf(probe(Buffer.from('<html>not an image</html>')))).toBe('invalid_file_type');
    expect(await codeOf(probe(Buffer.alloc(0)))).toBe('invalid_file_type');
  });

  it('refuses more than 22 MB before looking inside (file_too_large)', async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1);
    big.set([0xff, 0xd8, 0xff], 0);
    expect(await codeOf(probe(big))).toBe('file_too_large');
  });

  it('fails a PNG bomb fast on its header (resolution_too_high)', async () => {
    const bomb = pngBomb(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200_000);
    const err = await probe(bomb).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RenderError);
    expect((err as RenderError).code).toBe('resolution_too_high');
    expect((err as RenderError).detail).toMatch(/100000×100000.*limit is 50 megapixels/);
    // Just over the limit counts too.
    expect(await codeOf(probe(pngBomb(10_000, 5_001)))).toBe('resolution_too_high');
  });

  it('reports the size after EXIF orientation', async () => {
    const rotated = await sharp(await subjectImage({ width: 60, height: 40 }))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect(await probe(rotated)).toMatchObject({ width: 40, height: 60 });
  });

  it('refuses an unreadable header (failed_to_read_image)', async () => {
    const junk = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
    expect(await codeOf(probe(junk))).toBe('failed_to_read_image');
  });
});

describe('decodeImage', () => {
  it('refuses a truncated JPEG whose header is fine (failed_to_read_image)', async () => {
    const noise = Buffer.from(Array.from({ length: 200 * 150 * 3 }, (_, i) => (i * 7919) % 251));
    const jpg = await sharp(noise, { raw: { width: 200, height: 150, channels: 3 } })
      .jpeg()
      .toBuffer();
    const truncated = jpg.subarray(0, Math.floor(jpg.length * 0.6));
    const info = await probe(truncated);
    expect(info).toMatchObject({ width: 200, height: 150 });
    expect(await codeOf(decodeImage(truncated, info))).toBe('failed_to_read_image');
  });

  it('applies EXIF orientation and keeps input alpha', async () => {
    // Left half red, right half blue; orientation 6 means "rotate 90° clockwise to display".
    const base = await sharp({ create: { width: 4, height: 2, channels: 3, background: '#f00' } })
      .composite([{ input: { create: { width: 2, height: 2, channels: 3, background: '#00f' } }, left: 2, top: 0 }])
      .png()
      .toBuffer();
    const rotated = await sharp(base).withMetadata({ orientation: 6 }).jpeg({ quality: 100 }).toBuffer();
    const info = await probe(rotated);
    const img = await decodeImage(rotated, info);
    expect([img.width, img.height, img.channels]).toEqual([2, 4, 4]);
    // After rotating clockwise the red (left) half is on top; no input alpha → opaque.
    expect(img.data[0]).toBeGreaterThan(200);
    expect(img.data[3]).toBe(255);
    expect(img.data[(3 * 2 + 1) * 4 + 2]).toBeGreaterThan(200);

    const withAlpha = await sharp({
      create: { width: 3, height: 3, channels: 4, background: { r: 0, g: 255, b: 0, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    const decoded = await decodeImage(withAlpha, await probe(withAlpha));
    expect(decoded.channels).toBe(4);
    expect(decoded.data[3]).toBe(128);
  });
});
