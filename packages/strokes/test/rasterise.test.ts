import { describe, expect, it } from 'vitest';
import { applyStrokes, applyStrokesAsync, type EditDocument, parseEditDocument, type Stroke } from '../src';

const plane = (w: number, h: number, value: number) => new Uint8Array(w * h).fill(value);
const doc = (...strokes: Stroke[]): EditDocument => ({ version: 1, strokes });
/** Fraction of the image an erase took away, from 0 to 1. */
const erasedShare = (a: Uint8Array) => {
  let sum = 0;
  for (const v of a) sum += 255 - v;
  return sum / 255 / a.length;
};

const wiggle: Stroke = {
  mode: 'erase',
  radius: 0.03,
  softness: 0.4,
  points: [0.1, 0.2, 0.25, 0.35, 0.4, 0.3, 0.55, 0.6, 0.7, 0.65, 0.72, 0.8],
};

describe('applyStrokes', () => {
  it('covers the same normalised area at 400x300 and 4000x3000 (within 1 %)', () => {
    const small = plane(400, 300, 255);
    const large = plane(4000, 3000, 255);
    applyStrokes(small, 400, 300, doc(wiggle));
    applyStrokes(large, 4000, 3000, doc(wiggle));
    const a = erasedShare(small);
    const b = erasedShare(large);
    expect(a).toBeGreaterThan(0.02);
    expect(Math.abs(a - b) / b).toBeLessThan(0.01);
  });

  it('a dot covers the same area at two resolutions, close to π r² (within 1 %)', () => {
    const dot: Stroke = { mode: 'erase', radius: 0.05, softness: 0, points: [0.5, 0.5] };
    for (const [w, h] of [
      [400, 300],
      [4000, 3000],
    ] as const) {
      const a = plane(w, h, 255);
      applyStrokes(a, w, h, doc(dot));
      const expected = (Math.PI * (0.05 * w) ** 2) / (w * h);
      expect(Math.abs(erasedShare(a) - expected) / expected).toBeLessThan(0.01);
    }
  });

  it('erase gives 0 inside the hard core and leaves pixels beyond the radius untouched', () => {
    const w = 500;
    const h = 400;
    const a = plane(w, h, 200);
    const stroke: Stroke = { mode: 'erase', radius: 0.04, softness: 0.5, points: [0.2, 0.5, 0.8, 0.5] };
    const { changed } = applyStrokes(a, w, h, doc(stroke));
    const r = 0.04 * w; // 20 px
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const cx = Math.min(Math.max(x + 0.5, 0.2 * w), 0.8 * w);
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - 0.5 * h);
        const v = a[y * w + x]!;
        if (d <= r * 0.5) expect(v).toBe(0);
        else if (d >= r) expect(v).toBe(200);
        else expect(v).toBeGreaterThan(0);
      }
    }
    expect(changed).not.toBeNull();
    expect(changed!.x0).toBeGreaterThanOrEqual(Math.floor(0.2 * w - r));
    expect(changed!.x1).toBeLessThanOrEqual(Math.ceil(0.8 * w + r));
    expect(changed!.y0).toBeGreaterThanOrEqual(Math.floor(0.5 * h - r));
    expect(changed!.y1).toBeLessThanOrEqual(Math.ceil(0.5 * h + r));
  });

  it('the soft edge falls off linearly with the distance', () => {
    const w = 200;
    const h = 200;
    const a = plane(w, h, 0);
    applyStrokes(a, w, h, doc({ mode: 'restore', radius: 0.2, softness: 1, points: [0.5, 0.5] }));
    // r = 40 px, softness 1: coverage = 1 − d / 40; the pixel at (120, 100) has d = 20.5.
    expect(a[100 * w + 120]).toBe(Math.round(255 * (1 - Math.hypot(20.5, 0.5) / 40)));
  });

  it('restore gives 255 in the core and blends the soft edge', () => {
    const w = 300;
    const h = 300;
    const a = plane(w, h, 0);
    applyStrokes(a, w, h, doc({ mode: 'restore', radius: 0.1, softness: 0.3, points: [0.5, 0.5, 0.5, 0.7] }));
    expect(a[150 * w + 150]).toBe(255);
    expect(a[190 * w + 150]).toBe(255);
    // r = 30 px, the core 21 px: 20.5 px from the line is inside it, 25.5 px halfway down the soft edge.
    expect(a[160 * w + 150 + 20]).toBe(255);
    expect(a[160 * w + 150 + 25]).toBe(Math.round(255 * ((30 - 25.5) / 9)));
    expect(a[160 * w + 150 + 30]).toBe(0);
  });

  it('applies strokes in order', () => {
    const w = 100;
    const h = 100;
    const erase: Stroke = { mode: 'erase', radius: 0.1, softness: 0, points: [0.5, 0.5] };
    const restore: Stroke = { mode: 'restore', radius: 0.1, softness: 0, points: [0.5, 0.5] };
    const a = plane(w, h, 128);
    applyStrokes(a, w, h, doc(erase, restore));
    expect(a[50 * w + 50]).toBe(255);
    const b = plane(w, h, 128);
    applyStrokes(b, w, h, doc(restore, erase));
    expect(b[50 * w + 50]).toBe(0);
  });

  it('uses the longer side for the radius and normalises y to the height', () => {
    const w = 400;
    const h = 100;
    const a = plane(w, h, 255);
    applyStrokes(a, w, h, doc({ mode: 'erase', radius: 0.05, softness: 0, points: [0.5, 0.5] }));
    // r = 20 px around (200, 50).
    expect(a[50 * w + 200]).toBe(0);
    expect(a[50 * w + 218]).toBe(0);
    expect(a[50 * w + 221]).toBe(255);
    expect(a[32 * w + 200]).toBe(0);
    expect(a[28 * w + 200]).toBe(255);
  });

  it('overlapping segments of one stroke do not compound, and nothing changed reports null', () => {
    const w = 100;
    const h = 100;
    const a = plane(w, h, 255);
    // Back and forth over the same line with a soft brush: the edge is as soft as one pass.
    const once = plane(w, h, 255);
    applyStrokes(once, w, h, doc({ mode: 'erase', radius: 0.1, softness: 1, points: [0.2, 0.5, 0.8, 0.5] }));
    applyStrokes(
      a,
      w,
      h,
      doc({ mode: 'erase', radius: 0.1, softness: 1, points: [0.2, 0.5, 0.8, 0.5, 0.2, 0.5, 0.8, 0.5] }),
    );
    expect(Array.from(a)).toEqual(Array.from(once));
    const zero = plane(w, h, 0);
    expect(applyStrokes(zero, w, h, doc({ mode: 'erase', radius: 0.1, softness: 0, points: [0.5, 0.5] })).changed).toBe(
      null,
    );
  });

  it('a dense pointer trace paints what its exact line paints (within 5 % of full scale: simplification moves the line by at most 2 % of the radius)', () => {
    const w = 600;
    const h = 400;
    const dense: number[] = [];
    for (let i = 0; i <= 1000; i++) dense.push(0.1 + (0.8 * i) / 1000, 0.5 + 0.2 * Math.sin((i / 1000) * Math.PI));
    const a = plane(w, h, 255);
    applyStrokes(a, w, h, doc({ mode: 'erase', radius: 0.02, softness: 0.5, points: dense }));
    // Reference: the exact distance to the dense polyline.
    const r = 0.02 * w;
    let worst = 0;
    for (let y = 0; y < h; y += 3) {
      for (let x = 0; x < w; x += 3) {
        let best = Number.POSITIVE_INFINITY;
        for (let i = 0; i < dense.length; i += 2) {
          best = Math.min(best, Math.hypot(x + 0.5 - dense[i]! * w, y + 0.5 - dense[i + 1]! * h));
        }
        const c = best <= r * 0.5 ? 1 : best >= r ? 0 : (r - best) / (r * 0.5);
        worst = Math.max(worst, Math.abs(a[y * w + x]! - Math.round(255 * (1 - c))));
      }
    }
    expect(worst).toBeLessThanOrEqual(12);
  });

  it('refuses an alpha plane of the wrong size', () => {
    expect(() => applyStrokes(new Uint8Array(10), 4, 4, doc())).toThrow(RangeError);
  });
});

/** A stroke at the caps: 2,000 points zig-zagging across the image, each pass overlapping the last (paint area ≈ 36 of the 50 allowed). */
const zigzag: Stroke = {
  mode: 'erase',
  radius: 0.01,
  softness: 0.5,
  points: Array.from({ length: 2000 }, (_, i) => [0.05 + 0.9 * (i % 2), 0.1 + (0.8 * i) / 2000]).flat(),
};

/** A grey plane with a gradient, so erase and restore both change values everywhere. */
function gradient(w: number, h: number) {
  const a = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a[y * w + x] = (x * 7 + y * 3) % 256;
  return a;
}

describe('applyStrokesAsync', () => {
  const documents: [string, EditDocument][] = [
    ['the wiggle', doc(wiggle)],
    [
      'erase, restore and a dot, in order',
      doc(
        wiggle,
        { mode: 'restore', radius: 0.08, softness: 0.3, points: [0.2, 0.8, 0.6, 0.2, 0.9, 0.9] },
        { mode: 'erase', radius: 0.2, softness: 0, points: [0.5, 0.5] },
      ),
    ],
    ['one huge stroke', doc(zigzag)],
    [
      'the huge stroke then a restore over it',
      doc(zigzag, { mode: 'restore', radius: 0.25, softness: 1, points: [0.5, 0.5, 0.6, 0.4] }),
    ],
  ];

  it('the documents are within the caps', () => {
    for (const [, d] of documents) expect(parseEditDocument(d).ok).toBe(true);
  });

  for (const [w, h] of [
    [400, 300],
    [3000, 2000],
  ] as const) {
    for (const [name, d] of documents) {
      it(`paints the same bytes and box as applyStrokes at ${w}x${h}: ${name}`, async () => {
        const expected = gradient(w, h);
        const { changed } = applyStrokes(expected, w, h, d);
        const actual = gradient(w, h);
        let pauses = 0;
        const result = await applyStrokesAsync(actual, w, h, d, {
          // Small slices at the small size: many pauses, many of them inside a row.
          sliceWork: w < 1000 ? 997 : undefined,
          pause: () => {
            pauses++;
            return new Promise<void>((resolve) => setImmediate(resolve));
          },
        });
        expect(changed).not.toBe(null);
        expect(result.changed).toEqual(changed);
        expect(Buffer.compare(Buffer.from(actual), Buffer.from(expected))).toBe(0);
        expect(pauses).toBeGreaterThan(0);
      });
    }
  }

  it('lets the event loop run many times during one huge stroke (with the default pauses)', async () => {
    const [w, h] = [3000, 2000];
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    // The synchronous painter holds the loop: not one turn while it runs.
    setImmediate(tick);
    applyStrokes(new Uint8Array(w * h).fill(255), w, h, doc(zigzag));
    expect(turns).toBe(0);
    const before = turns;
    await applyStrokesAsync(new Uint8Array(w * h).fill(255), w, h, doc(zigzag));
    running = false;
    // ≈ 9 M pixels painted over ≈ 36 times: about a thousand slices of 262,144.
    expect(turns - before).toBeGreaterThan(200);
  });

  it('stops with the error its pause throws, and refuses a plane of the wrong size', async () => {
    const w = 400;
    const h = 300;
    let pauses = 0;
    const stopped = applyStrokesAsync(plane(w, h, 255), w, h, doc(zigzag), {
      sliceWork: 1000,
      pause: () => {
        if (++pauses === 3) throw new Error('timed out');
      },
    });
    await expect(stopped).rejects.toThrow('timed out');
    expect(pauses).toBe(3);
    await expect(applyStrokesAsync(new Uint8Array(10), 4, 4, doc())).rejects.toThrow(RangeError);
  });
});
