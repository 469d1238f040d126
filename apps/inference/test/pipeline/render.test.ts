// Shadows and semitransparency=false through the whole pipeline (real IS-Net, real sharp) on a
// synthetic subject (a shaded disc on a plain background): every output format, crop, the
// unchanged output size, X-Foreground-* staying the subject's box, and the option errors.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderOptions } from '@bgr/inference-client/options';
import type { Pipeline } from '../../src/pipeline/render.ts';
import { subjectImage } from '../support/images.ts';
import { pixels, realPipeline } from '../support/pipeline.ts';
import { partialAwayFromRim } from '../support/silhouettes.ts';
import { readZip } from '../support/zip.ts';
import { codeOf } from '../support/render-error.ts';

let pipeline: Pipeline;
let image: Buffer;
const W = 800;
const H = 600;
const R = 0.28 * 600; // disc radius, centred
// Just outside the disc, below and right of it (45°), and the same distance above-left.
const BR = { x: W / 2 + R * 0.72 + 6, y: H / 2 + R * 0.72 + 6 };

beforeAll(async () => {
  pipeline = await realPipeline();
  image = await subjectImage({ width: W, height: H, seed: 3, format: 'png' });
});

const render = (options: RenderOptions, bgImage?: Buffer) => pipeline.render({ bytes: image, options, bgImage });

/** Sum of the alpha over the rows above y (the last channel). */
async function alphaAbove(body: Buffer, y: number) {
  const { data, info } = await pixels(body);
  let s = 0;
  for (let i = info.channels - 1; i < y * info.width * info.channels; i += info.channels) s += data[i]!;
  return s;
}

describe('shadows in every output', () => {
  it('none, and opacity 0, change nothing', async () => {
    const plain = await render({ format: 'png' });
    expect((await render({ format: 'png', shadowType: 'none' })).body.equals(plain.body)).toBe(true);
    expect((await render({ format: 'png', shadowType: 'drop', shadowOpacity: 0 })).body.equals(plain.body)).toBe(true);
  });

  it('transparent PNG and WebP: dark pixels of partial alpha below-right, nothing added above, same size', async () => {
    const plain = await render({ format: 'png' });
    for (const format of ['png', 'webp'] as const) {
      const out = await render({ format, shadowType: 'drop', shadowOpacity: 80 });
      expect([out.width, out.height]).toEqual([W, H]);
      expect(out.foreground).toEqual(plain.foreground);
      const px = (await pixels(out.body)).at(BR.x, BR.y);
      expect(px[3]).toBeGreaterThan(20);
      expect(px[3]).toBeLessThan(255);
      expect(Math.max(px[0]!, px[1]!, px[2]!)).toBeLessThan(60);
      const top = plain.foreground.top;
      expect(Math.abs((await alphaAbove(out.body, top)) - (await alphaAbove(plain.body, top)))).toBeLessThan(
        format === 'webp' ? 2000 : 1,
      );
    }
  });

  it('bg_color: the background is darkened under the shadow', async () => {
    const plain = await pixels((await render({ format: 'jpg', bgColor: 'ffffff' })).body);
    const out = await render({ format: 'jpg', bgColor: 'ffffff', shadowType: 'drop' });
    const px = (await pixels(out.body)).at(BR.x, BR.y);
    expect(plain.at(BR.x, BR.y)[0]).toBeGreaterThan(245);
    expect(px[0]).toBeLessThan(215);
    expect(Math.abs(px[0]! - px[2]!)).toBeLessThan(8); // grey, not tinted
  });

  it('zip: the shadow is in both the colour file and the alpha file', async () => {
    const out = await render({ format: 'zip', shadowType: '3D', shadowOpacity: 100 });
    const [color, alpha] = readZip(out.body);
    const c = await pixels(color!.data);
    const a = await pixels(alpha!.data);
    // Under the foot of the disc, where the contact band lies.
    const x = W / 2;
    const y = H / 2 + R + 3;
    expect(a.at(x, y)[0]).toBeGreaterThan(60);
    expect(c.at(x, y)[0]).toBeLessThan(60);
  });

  it('channels=alpha carries the shadow', async () => {
    const out = await render({ channels: 'alpha', format: 'png', shadowType: 'drop', shadowOpacity: 100 });
    expect((await pixels(out.body)).at(BR.x, BR.y)[0]).toBeGreaterThan(60);
  });

  it('crop: the bounds include the shadow, X-Foreground-* stays the subject', async () => {
    const plain = await render({ format: 'png', crop: true });
    const out = await render({ format: 'png', crop: true, shadowType: 'drop', shadowOpacity: 100 });
    expect(out.width).toBeGreaterThan(plain.width + 10);
    expect(out.height).toBeGreaterThan(plain.height + 10);
    expect(out.foreground).toEqual({ ...plain.foreground, left: 0, top: 0 });
    const p = await pixels(out.body);
    // The rows below the subject and the columns right of it hold shadow, not transparency.
    const f = out.foreground;
    let below = 0,
      right = 0;
    for (let y = f.top + f.height; y < out.height; y++) for (let x = 0; x < out.width; x++) below += p.at(x, y)[3]!;
    for (let y = 0; y < out.height; y++) for (let x = f.left + f.width; x < out.width; x++) right += p.at(x, y)[3]!;
    expect(below).toBeGreaterThan(1000);
    expect(right).toBeGreaterThan(1000);
    // crop_margin adds room around the subject and its shadow.
    const margin = await render({
      format: 'png',
      crop: true,
      cropMargin: '20px',
      shadowType: 'drop',
      shadowOpacity: 100,
    });
    expect(margin.width).toBe(out.width + 40);
  });

  it('scale and position move the shadow with the subject', async () => {
    const out = await render({
      format: 'png',
      scale: '50%',
      position: 'center',
      shadowType: 'drop',
      shadowOpacity: 100,
    });
    const f = out.foreground;
    const p = await pixels(out.body);
    expect(p.at(f.left + f.width * 0.86 + 4, f.top + f.height * 0.86 + 4)[3]).toBeGreaterThan(20);
  });
});

describe('semitransparency=false', () => {
  it('leaves no partial alpha away from the 1-pixel edge, also after a resize', async () => {
    const soft = await pixels((await render({ format: 'png' })).body);
    const softImg = { data: soft.data, width: soft.info.width, height: soft.info.height, channels: 4 as const };
    expect(partialAwayFromRim(softImg)).toBeGreaterThan(0);
    for (const options of [{ format: 'png' }, { format: 'webp', scale: '70%' }, { format: 'zip' }] as RenderOptions[]) {
      const out = await render({ ...options, semitransparency: false });
      const body = options.format === 'zip' ? readZip(out.body)[1]!.data : out.body;
      const p = await pixels(body);
      // The zip's alpha file is grey: read its one channel as the alpha of an RGBA view.
      let rgba = p.data;
      if (p.info.channels !== 4) {
        rgba = Buffer.alloc(p.info.width * p.info.height * 4);
        for (let i = 0; i < p.info.width * p.info.height; i++) rgba[i * 4 + 3] = p.data[i * p.info.channels]!;
      }
      const img = { data: rgba, width: p.info.width, height: p.info.height, channels: 4 as const };
      expect(partialAwayFromRim(img), JSON.stringify(options)).toBe(0);
    }
  });
});

describe('option errors', () => {
  it('answers remove.bg-style codes for a bad shadow type or opacity', async () => {
    expect(await codeOf(render({ shadowType: 'big' as never }))).toBe('invalid_shadow_type');
    expect(await codeOf(render({ shadowType: 'drop', shadowOpacity: 101 }))).toBe('invalid_shadow_opacity');
    expect(await codeOf(render({ shadowType: 'drop', shadowOpacity: 2.5 }))).toBe('invalid_shadow_opacity');
  });
});
