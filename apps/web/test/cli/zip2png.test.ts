/**
 * `bgr zip2png`: remove.bg's ZIP format (color.jpg + alpha.png) → one PNG whose colors are the
 * JPEG's and whose alpha is the mask, pixel for pixel. The ZIPs are built here with sharp and fflate.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto } from '../api/support/world';
import { runBgr } from './support/bgr';

const W = 90;
const H = 60;
let dir: string;
let colorJpg: Buffer;
let mask: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bgr-zip2png-'));
  colorJpg = await sharp(await makePhoto(W, H, 'png'))
    // 4:4:4: with subsampled chroma, decoders legitimately differ at sharp color edges (jpeg-js
    // upsamples chroma plainly, libjpeg smoothly), which would blur what this test compares.
    .jpeg({ quality: 90, chromaSubsampling: '4:4:4' })
    .toBuffer();
  // A mask with every level: a horizontal ramp, zero in the left column, 255 in the right.
  mask = Buffer.alloc(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) mask[y * W + x] = Math.round((x / (W - 1)) * 255);
  const alphaPng = await sharp(mask, { raw: { width: W, height: H, channels: 1 } })
    .png()
    .toBuffer();
  writeFileSync(path.join(dir, 'photo.zip'), zipSync({ 'color.jpg': colorJpg, 'alpha.png': alphaPng }, { level: 0 }));
  writeFileSync(path.join(dir, 'no-alpha.zip'), zipSync({ 'color.jpg': colorJpg }));
  writeFileSync(path.join(dir, 'broken.zip'), 'not a zip at all');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bgr zip2png', () => {
  it('writes a PNG with the JPEG colors and the mask as alpha', async () => {
    const run = await runBgr(['zip2png', 'photo.zip'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(`photo.zip → ${path.join('photo.png')}`);
    const out = await sharp(path.join(dir, 'photo.png')).raw().toBuffer({ resolveWithObject: true });
    expect(out.info).toMatchObject({ width: W, height: H, channels: 4 });
    const color = await sharp(colorJpg).raw().toBuffer();
    let worst = 0;
    for (let i = 0; i < W * H; i++) {
      expect(out.data[i * 4 + 3]).toBe(mask[i]);
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(out.data[i * 4 + c]! - color[i * 3 + c]!));
    }
    // Two JPEG decoders (jpeg-js here, libjpeg in sharp) may round a level apart.
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('writes into --output-directory, and names each file that is not remove.bg ZIP with a sentence', async () => {
    const run = await runBgr(['zip2png', '--output-directory', 'out', 'photo.zip', 'no-alpha.zip', 'broken.zip'], {
      cwd: dir,
    });
    expect(run.code).toBe(1);
    expect((await sharp(path.join(dir, 'out/photo.png')).metadata()).channels).toBe(4);
    expect(run.stderr).toContain('no-alpha.zip: It does not hold color.jpg and alpha.png (remove.bg’s ZIP format).');
    expect(run.stderr).toContain('broken.zip: It is not a readable ZIP file.');
  });

  it('refuses a missing file before writing anything', async () => {
    const run = await runBgr(['zip2png', 'photo.zip', 'missing.zip'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('No such file: "missing.zip".');
  });
});
