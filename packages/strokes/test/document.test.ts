import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  fnv1a64,
  MAX_EDIT_BYTES,
  MAX_PAINT_AREA,
  MAX_STROKES,
  paintArea,
  parseEditDocument,
  strokesRevision,
} from '../src';

const stroke = (over: Record<string, unknown> = {}) => ({
  mode: 'erase',
  radius: 0.02,
  softness: 0.3,
  points: [0.1, 0.1, 0.2, 0.2],
  ...over,
});

const refused = (input: unknown): string => {
  const r = parseEditDocument(input);
  if (r.ok) throw new Error('accepted');
  return r.error;
};

describe('parseEditDocument', () => {
  it('accepts a valid document and drops unknown keys', () => {
    const r = parseEditDocument({ version: 1, strokes: [{ ...stroke(), colour: 'red' }], extra: true });
    expect(r).toEqual({ ok: true, document: { version: 1, strokes: [stroke()] } });
    expect(parseEditDocument({ version: 1, strokes: [] })).toEqual({ ok: true, document: { version: 1, strokes: [] } });
  });

  it('refuses too many strokes with a sentence naming both counts', () => {
    const strokes = Array.from({ length: 2412 }, () => stroke({ points: [0.5, 0.5] }));
    expect(refused({ version: 1, strokes })).toBe('An edit may hold at most 2,000 strokes; this one has 2,412.');
    expect(MAX_STROKES).toBe(2000);
  });

  it('refuses a document over 256 KB', () => {
    const points: number[] = [];
    for (let i = 0; i < 3998; i++) points.push(0.123456789012345);
    const strokes = Array.from({ length: 20 }, () => stroke({ points }));
    expect(new TextEncoder().encode(JSON.stringify({ version: 1, strokes })).length).toBeGreaterThan(MAX_EDIT_BYTES);
    expect(refused({ version: 1, strokes })).toMatch(/^An edit may be at most 256 KB; this one is [\d,]+ KB\.$/);
  });

  it('names the stroke and the problem in a sentence', () => {
    expect(refused({ version: 1, strokes: [stroke(), stroke({ radius: 0.5 })] })).toBe(
      "Stroke 2 of the edit is not valid: the radius must be at most 0.25 of the image's longer side.",
    );
    expect(refused({ version: 1, strokes: [stroke({ radius: 0.0001 })] })).toBe(
      "Stroke 1 of the edit is not valid: the radius must be at least 0.0005 of the image's longer side.",
    );
    expect(refused({ version: 1, strokes: [stroke({ mode: 'paint' })] })).toBe(
      'Stroke 1 of the edit is not valid: the mode must be "erase" or "restore".',
    );
    expect(refused({ version: 1, strokes: [stroke({ softness: 2 })] })).toBe(
      'Stroke 1 of the edit is not valid: the softness must be between 0 and 1.',
    );
    expect(refused({ version: 1, strokes: [stroke({ points: [0.1, 1.2] })] })).toBe(
      'Stroke 1 of the edit is not valid: every coordinate must be between 0 and 1.',
    );
    expect(refused({ version: 1, strokes: [stroke({ points: [0.1, 0.2, 0.3] })] })).toBe(
      'Stroke 1 of the edit is not valid: the points must come in x, y pairs.',
    );
    expect(refused({ version: 1, strokes: [stroke({ points: [] })] })).toBe(
      'Stroke 1 of the edit is not valid: a stroke needs at least one point.',
    );
    expect(refused({ version: 1, strokes: [stroke({ points: new Array(4002).fill(0.5) })] })).toBe(
      'Stroke 1 of the edit is not valid: a stroke may hold at most 2,000 points.',
    );
    expect(refused({ version: 2, strokes: [] })).toBe('The edit is not valid: the version must be 1.');
    expect(refused({ version: 1, strokes: 'x' })).toBe('The edit is not valid: the strokes must be a list.');
    expect(refused(null)).toBe('An edit must be an object with a version and a list of strokes.');
    expect(refused([1])).toBe('An edit must be an object with a version and a list of strokes.');
  });

  it('refuses a document that paints too much, measured after simplification', () => {
    // Zig-zags with the biggest brush: every point is a corner, so nothing simplifies away.
    const zigzag: number[] = [];
    for (let i = 0; i < 200; i++) zigzag.push(i % 2, (i % 7) / 7);
    const heavy = { version: 1, strokes: Array.from({ length: 10 }, () => stroke({ radius: 0.25, points: zigzag })) };
    expect(paintArea(heavy as never)).toBeGreaterThan(MAX_PAINT_AREA);
    expect(refused(heavy)).toMatch(
      /^An edit may paint over the image at most 50 times in all; this one paints over it [\d,]+ times\. Use fewer or smaller strokes\.$/,
    );
    // A dense pointer trace of a straight line with the same brush paints about one capsule.
    const line: number[] = [];
    for (let i = 0; i <= 1999; i++) line.push(i / 1999, 0.5);
    const light = { version: 1, strokes: [stroke({ radius: 0.25, points: line })] };
    expect(paintArea(light as never)).toBeLessThan(1);
    expect(parseEditDocument(light).ok).toBe(true);
  });
});

describe('strokesRevision', () => {
  it('is FNV-1a 64 of the canonical JSON', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
    const doc = { version: 1 as const, strokes: [stroke() as never] };
    expect(strokesRevision(doc)).toBe(fnv1a64(canonicalJson(doc)));
    expect(strokesRevision(doc)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is stable across key order and changes with the strokes or their order', () => {
    const a = { version: 1 as const, strokes: [stroke() as never, stroke({ mode: 'restore' }) as never] };
    const reordered = JSON.parse(
      '{"strokes":[{"points":[0.1,0.1,0.2,0.2],"softness":0.3,"radius":0.02,"mode":"erase"},{"mode":"restore","radius":0.02,"softness":0.3,"points":[0.1,0.1,0.2,0.2]}],"version":1}',
    );
    expect(strokesRevision(reordered)).toBe(strokesRevision(a));
    expect(strokesRevision({ version: 1, strokes: [...a.strokes].reverse() })).not.toBe(strokesRevision(a));
    expect(strokesRevision({ version: 1, strokes: [stroke({ radius: 0.021 }) as never] })).not.toBe(
      strokesRevision({ version: 1, strokes: [stroke() as never] }),
    );
  });
});
