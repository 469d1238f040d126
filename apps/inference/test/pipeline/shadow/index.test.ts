// Shadow pixels on synthetic subjects (a box on a floor, a car-like side view): where each type
// puts its darkness, how opacity scales it, and that "none" and opacity 0 draw nothing.
import { describe, expect, it } from 'vitest';
import { addShadow, resolveShadow, shadowBounds, type ShadowSpec } from '../../../src/pipeline/shadow/index.ts';
import type { RawImage } from '../../../src/pipeline/raw.ts';
import { BOX, CAR, alphaAt, alphaSum, boxOnFloor, carSide, copy } from '../../support/silhouettes.ts';

async function shaded(img: RawImage, spec: ShadowSpec): Promise<RawImage> {
  const out = copy(img);
  await addShadow(out, spec);
  return out;
}

describe('drop shadow', () => {
  it('puts dark, partly transparent pixels below and right of the subject and none above it', async () => {
    const box = await boxOnFloor();
    const out = await shaded(box, { type: 'drop', opacity: 50 });
    // Just outside the bottom-right corner of the box.
    const x = BOX.right + 4;
    const y = BOX.bottom + 4;
    const i = (y * out.width + x) * 4;
    expect(out.data[i + 3]).toBeGreaterThan(0);
    expect(out.data[i + 3]).toBeLessThan(255);
    expect(Math.max(out.data[i]!, out.data[i + 1]!, out.data[i + 2]!)).toBeLessThan(40);
    // Above the box and left of it: untouched.
    expect(alphaSum(out, 0, 0, out.width, BOX.top)).toBe(0);
    expect(alphaSum(out, 0, 0, BOX.left, out.height)).toBe(0);
    // The subject itself is unchanged.
    expect(alphaAt(out, 400, 300)).toBe(255);
    expect(out.data.subarray((300 * out.width + 400) * 4, (300 * out.width + 400) * 4 + 3)).toEqual(
      box.data.subarray((300 * box.width + 400) * 4, (300 * box.width + 400) * 4 + 3),
    );
  });

  it('gives about twice the shadow alpha at opacity 100 as at 50', async () => {
    const box = await boxOnFloor();
    const half = await shaded(box, { type: 'drop', opacity: 50 });
    const full = await shaded(box, { type: 'drop', opacity: 100 });
    const region = [BOX.left, BOX.bottom, BOX.right + 40, BOX.bottom + 40] as const;
    const a = alphaSum(half, ...region);
    const b = alphaSum(full, ...region);
    expect(a).toBeGreaterThan(0);
    expect(b / a).toBeGreaterThan(1.9);
    expect(b / a).toBeLessThan(2.1);
  });
});

describe('3D shadow', () => {
  it('casts a fading shadow on the ground behind the subject and a contact band at its foot', async () => {
    const box = await boxOnFloor();
    const out = await shaded(box, { type: '3D', opacity: 100 });
    // Cast to the right of the box, above its foot, darker near the ground than higher up.
    const near = alphaSum(out, BOX.right + 2, BOX.bottom - 30, BOX.right + 40, BOX.bottom - 10);
    const far = alphaSum(out, BOX.right + 2, BOX.bottom - 90, BOX.right + 40, BOX.bottom - 70);
    expect(near).toBeGreaterThan(far);
    expect(far).toBeGreaterThan(0);
    // Contact band just under the foot.
    expect(alphaAt(out, 400, BOX.bottom + 2)).toBeGreaterThan(100);
    // Nothing above the top of the cast (30 % of the box's height above the foot).
    expect(alphaSum(out, BOX.right, 0, out.width, BOX.bottom - 0.45 * (BOX.bottom - BOX.top))).toBe(0);
  });
});

describe('car shadow', () => {
  it('puts its mass under the bottom band of the subject', async () => {
    const car = await carSide();
    const out = await shaded(car, { type: 'car', opacity: 90 });
    // Shadow alpha is what the subject did not have before.
    let under = 0,
      total = 0;
    for (let y = 0; y < out.height; y++)
      for (let x = 0; x < out.width; x++) {
        const added = alphaAt(out, x, y) - alphaAt(car, x, y);
        total += added;
        if (y >= CAR.bandTop && y < CAR.bottom + 40 && x >= CAR.left - 20 && x < CAR.right + 20) under += added;
      }
    expect(total).toBeGreaterThan(0);
    expect(under / total).toBeGreaterThan(0.9);
    // A dense core under the wheels, lighter between them at the same height.
    expect(alphaAt(out, 300, CAR.bottom + 2)).toBeGreaterThan(alphaAt(out, 510, CAR.bottom + 14));
    expect(alphaAt(out, 510, CAR.bottom)).toBeGreaterThan(0);
  });
});

describe('resolveShadow', () => {
  it('draws nothing for none, or at opacity 0', async () => {
    const box = await boxOnFloor();
    expect(resolveShadow({ shadowType: 'none' }, box)).toBeNull();
    expect(resolveShadow({ shadowType: 'drop', shadowOpacity: 0 }, box)).toBeNull();
    expect(resolveShadow({ shadowType: 'car', shadowOpacity: 0 }, box)).toBeNull();
  });

  it('defaults the opacity to 90 for a car shadow and 50 for the others', async () => {
    const box = await boxOnFloor();
    expect(resolveShadow({ shadowType: 'car' }, box)).toEqual({ type: 'car', opacity: 90 });
    expect(resolveShadow({ shadowType: '3D' }, box)).toEqual({ type: '3D', opacity: 50 });
    expect(resolveShadow({ shadowType: 'drop', shadowOpacity: 70 }, box)).toEqual({ type: 'drop', opacity: 70 });
  });

  it('auto: a car shadow for a car-like subject or type=car, a drop shadow otherwise', async () => {
    const box = await boxOnFloor();
    const car = await carSide();
    expect(resolveShadow({ shadowType: 'auto' }, car)).toEqual({ type: 'car', opacity: 90 });
    expect(resolveShadow({ shadowType: 'auto' }, box)).toEqual({ type: 'drop', opacity: 50 });
    expect(resolveShadow({ shadowType: 'auto', type: 'car' }, box)).toEqual({ type: 'car', opacity: 90 });
    expect(resolveShadow({ shadowType: 'auto', type: 'product' }, car)?.type).toBe('car');
  });
});

describe('shadowBounds', () => {
  it('covers every shadow pixel the shadow draws', async () => {
    for (const [img, type] of [
      [await boxOnFloor(), 'drop'],
      [await boxOnFloor(), '3D'],
      [await carSide(), 'car'],
    ] as const) {
      const spec = { type, opacity: 100 } as ShadowSpec;
      const b = shadowBounds(img, spec)!;
      const out = await shaded(img, spec);
      for (let y = 0; y < out.height; y++)
        for (let x = 0; x < out.width; x++) {
          if (alphaAt(out, x, y) - alphaAt(img, x, y) < 8) continue;
          const inside = x >= b.left && x < b.left + b.width && y >= b.top && y < b.top + b.height;
          if (!inside) throw new Error(`${type}: shadow pixel ${x},${y} outside ${JSON.stringify(b)}`);
        }
    }
  });
});
