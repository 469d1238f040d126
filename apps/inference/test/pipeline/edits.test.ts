// Erase and restore strokes through the whole pipeline (real IS-Net, real sharp) on the repository's
// own photo (docs/shadows/source.jpg, a toy car on a studio wall, 900×560): an erase stroke makes
// alpha 0 in its core and leaves every pixel beyond its soft edge byte-identical; a restore stroke
// brings back an opaque, halo-free corner the model removed; the cached mask is not changed by an
// edit; a bad edit is refused with a sentence before any work.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EditDocument, Stroke } from '@bgr/strokes';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { RenderError } from '@bgr/inference-client/errors';
import type { Pipeline, RenderOutput } from '../../src/pipeline/render.ts';
import { pixels, realPipeline } from '../support/pipeline.ts';

const photo = readFileSync(fileURLToPath(new URL('../../../../docs/shadows/source.jpg', import.meta.url)));
const W = 900;
const H = 560;

let pipeline: Pipeline;
let plain: RenderOutput;
let original: Buffer; // the photo's decoded RGB

beforeAll(async () => {
  pipeline = await realPipeline();
  plain = await pipeline.render({ bytes: photo, options: { size: 'full', format: 'png' } });
  original = await sharp(photo).removeAlpha().raw().toBuffer();
});

const edit = (...strokes: Stroke[]): EditDocument => ({ version: 1, strokes });
const render = (doc: unknown) => pipeline.render({ bytes: photo, options: { size: 'full', format: 'png' }, edit: doc });

/** Distance from the pixel centre (x, y) to the segment a→b, in pixels. */
function distance(x: number, y: number, ax: number, ay: number, bx: number, by: number) {
  const px = x + 0.5 - ax;
  const py = y + 0.5 - ay;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - t * dx, py - t * dy);
}

describe('an erase stroke at full size', () => {
  // Across the car's body and door (opaque in the model's result), radius 27 px, the outer half soft.
  const stroke: Stroke = { mode: 'erase', radius: 0.03, softness: 0.5, points: [0.4, 0.55, 0.6, 0.6] };
  const [ax, ay, bx, by] = [0.4 * W, 0.55 * H, 0.6 * W, 0.6 * H];
  const r = 0.03 * W;

  it('has alpha 0 inside the stroke and is byte-identical outside its soft edge', async () => {
    const out = await render(edit(stroke));
    expect([out.width, out.height]).toEqual([W, H]);
    const a = await pixels(plain.body);
    const b = await pixels(out.body);
    expect(b.info.channels).toBe(4);
    let inside = 0;
    let outside = 0;
    let wasOpaque = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const d = distance(x, y, ax, ay, bx, by);
        const i = (y * W + x) * 4;
        if (d <= r * 0.5) {
          inside++;
          expect(b.data[i + 3]).toBe(0);
          if (a.data[i + 3] === 255) wasOpaque++;
        } else if (d >= r + 1) {
          outside++;
          // Alpha and colour alike.
          if (b.data.readUInt32BE(i) !== a.data.readUInt32BE(i)) {
            expect([x, y, ...b.data.subarray(i, i + 4)]).toEqual([x, y, ...a.data.subarray(i, i + 4)]);
          }
        }
      }
    }
    expect(inside).toBeGreaterThan(4000);
    expect(wasOpaque / inside).toBeGreaterThan(0.9); // the model had kept it: the stroke did the erasing
    expect(outside).toBeGreaterThan(W * H * 0.9);
  });

  it('leaves the cached mask as it was: the plain render afterwards is the same bytes', async () => {
    await render(edit(stroke));
    const again = await pipeline.render({ bytes: photo, options: { size: 'full', format: 'png' } });
    expect(again.maskCached).toBe(true);
    expect(again.body.equals(plain.body)).toBe(true);
  });
});

describe('a restore stroke at full size', () => {
  // The top-left corner of the wall, which the model removed.
  const stroke: Stroke = { mode: 'restore', radius: 0.06, softness: 0.4, points: [0.08, 0.12, 0.16, 0.14] };
  const [ax, ay, bx, by] = [0.08 * W, 0.12 * H, 0.16 * W, 0.14 * H];
  const r = 0.06 * W; // 54 px

  it('brings back alpha 255 where the model removed the background, with the photo’s colours', async () => {
    const a = await pixels(plain.body);
    const out = await render(edit(stroke));
    const b = await pixels(out.body);
    let core = 0;
    let removed = 0;
    let worstCore = 0;
    let worstEdge = 0;
    let edge = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const d = distance(x, y, ax, ay, bx, by);
        const i = (y * W + x) * 4;
        const j = (y * W + x) * 3;
        const diff = Math.max(
          Math.abs(b.data[i]! - original[j]!),
          Math.abs(b.data[i + 1]! - original[j + 1]!),
          Math.abs(b.data[i + 2]! - original[j + 2]!),
        );
        if (d <= r * 0.6) {
          core++;
          expect(b.data[i + 3]).toBe(255);
          if (a.data[i + 3] === 0) removed++;
          worstCore = Math.max(worstCore, diff);
        } else if (d < r) {
          const alpha = b.data[i + 3]!;
          if (alpha > 0 && alpha < 255) {
            edge++;
            // No halo: the soft edge of the restored wall carries the wall's colour.
            worstEdge = Math.max(worstEdge, diff);
          }
        } else if (d >= r + 1) {
          const k = i + 3;
          if (b.data[k] !== a.data[k]) expect([x, y, b.data[k]]).toEqual([x, y, a.data[k]]);
        }
      }
    }
    expect(core).toBeGreaterThan(5000);
    expect(removed / core).toBeGreaterThan(0.95);
    expect(worstCore).toBe(0); // opaque pixels keep the photo's own colour
    expect(edge).toBeGreaterThan(1000);
    expect(worstEdge).toBeLessThan(16);
  });

  it('over the subject’s soft edge: the restored pixels show the photo, not the colours corrected for the old alpha', async () => {
    // Along the car's roof line (y ≈ 205 of 560), where the model's alpha is soft and refineAlpha
    // corrected the colours for it.
    const roof: Stroke = { mode: 'restore', radius: 0.02, softness: 0.3, points: [0.5, 0.366, 0.62, 0.366] };
    const [rx0, ry0, rx1, ry1] = [0.5 * W, 0.366 * H, 0.62 * W, 0.366 * H];
    const a = await pixels(plain.body);
    const b = await pixels((await render(edit(roof))).body);
    let soft = 0;
    let correctedBefore = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (distance(x, y, rx0, ry0, rx1, ry1) > 0.02 * W * 0.7) continue;
        const i = (y * W + x) * 4;
        const j = (y * W + x) * 3;
        expect(b.data[i + 3]).toBe(255);
        expect([x, y, ...b.data.subarray(i, i + 3)]).toEqual([x, y, ...original.subarray(j, j + 3)]);
        const was = a.data[i + 3]!;
        if (was > 0 && was < 255) {
          soft++;
          if (a.data.subarray(i, i + 3).some((v, k) => Math.abs(v - original[j + k]!) > 2)) correctedBefore++;
        }
      }
    }
    expect(soft).toBeGreaterThan(100);
    expect(correctedBefore).toBeGreaterThan(20);
  });

  it('applies strokes in order: restore then erase over the same place ends erased', async () => {
    const erase: Stroke = { ...stroke, mode: 'erase' };
    const out = await pixels((await render(edit(stroke, erase))).body);
    expect(out.at(0.12 * W, 0.13 * H)[3]).toBe(0);
    const back = await pixels((await render(edit(erase, stroke))).body);
    expect(back.at(0.12 * W, 0.13 * H)[3]).toBe(255);
  });

  it('paints the alpha-only output (channels=alpha) too', async () => {
    const out = await pipeline.render({
      bytes: photo,
      options: { size: 'full', format: 'png', channels: 'alpha' },
      edit: edit(stroke),
    });
    const px = await pixels(out.body);
    expect(px.at(0.12 * W, 0.13 * H)[0]).toBe(255);
  });
});

describe('bad edits', () => {
  async function refusal(doc: unknown) {
    try {
      await render(doc);
    } catch (err) {
      if (err instanceof RenderError) return [err.code, err.status, err.detail];
      throw err;
    }
    return null;
  }

  it('are refused with invalid_options (400) and a sentence, before the image is read', async () => {
    const runs = pipeline.model.runs;
    const many = edit(
      ...Array.from({ length: 2001 }, () => ({
        mode: 'erase' as const,
        radius: 0.01,
        softness: 0,
        points: [0.5, 0.5],
      })),
    );
    expect(await refusal(many)).toEqual([
      'invalid_options',
      400,
      'An edit may hold at most 2,000 strokes; this one has 2,001.',
    ]);
    expect(
      await refusal({ version: 1, strokes: [{ mode: 'erase', radius: 1, softness: 0, points: [0.5, 0.5] }] }),
    ).toEqual([
      'invalid_options',
      400,
      "Stroke 1 of the edit is not valid: the radius must be at most 0.25 of the image's longer side.",
    ]);
    // Refused before the bytes are looked at: a broken image with a bad edit answers the edit's error.
    await expect(
      pipeline.render({ bytes: Buffer.from('not an image'), options: {}, edit: { version: 7 } }),
    ).rejects.toMatchObject({ code: 'invalid_options' });
    expect(pipeline.model.runs).toBe(runs);
  });

  it('an empty edit renders exactly what no edit renders', async () => {
    expect((await render({ version: 1, strokes: [] })).body.equals(plain.body)).toBe(true);
    expect((await render(null)).body.equals(plain.body)).toBe(true);
  });
});
