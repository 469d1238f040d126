// semitransparency=false: after hardenAlpha no alpha lies strictly between 0 and 255 except on the
// 1-pixel rim of the subject (a subject pixel with a transparent 4-neighbour).
import { describe, expect, it } from 'vitest';
import { hardenAlpha } from '../../src/pipeline/harden.ts';
import { copy, partialAwayFromRim, softDisc } from '../support/silhouettes.ts';

describe('hardenAlpha', () => {
  it('leaves partial alpha only on the 1-pixel rim', async () => {
    const soft = await softDisc();
    expect(partialAwayFromRim(soft)).toBeGreaterThan(1000);
    const hard = copy(soft);
    hardenAlpha(hard);
    expect(partialAwayFromRim(hard)).toBe(0);
    // The rim exists (an anti-aliased edge, not a jagged one) and the subject keeps its size.
    let rim = 0,
      inside = 0,
      halfOrMore = 0;
    for (let i = 3; i < hard.data.length; i += 4) {
      if (hard.data[i]! > 0 && hard.data[i]! < 255) rim++;
      if (hard.data[i]! > 0) inside++;
      if (soft.data[i]! >= 128) halfOrMore++;
    }
    expect(rim).toBeGreaterThan(100);
    expect(inside).toBe(halfOrMore);
  });

  it('keeps the colours', async () => {
    const soft = await softDisc();
    const hard = copy(soft);
    hardenAlpha(hard);
    let changed = 0;
    for (let i = 0; i < hard.data.length; i++) if (i % 4 !== 3 && hard.data[i] !== soft.data[i]) changed++;
    expect(changed).toBe(0);
  });
});
