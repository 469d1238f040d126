/** What each image of a ZIP comes as: PNG up to remove.bg's 10 MP PNG limit, WebP above it. */
import { describe, expect, it } from 'vitest';
import { batchFormat } from '~/server/batch/quote';

describe('batchFormat', () => {
  it('gives PNG up to 10 megapixels and WebP above', () => {
    expect(batchFormat(320, 240)).toBe('png');
    expect(batchFormat(4000, 2500)).toBe('png'); // exactly 10 MP
    expect(batchFormat(4000, 2501)).toBe('webp');
    expect(batchFormat(7000, 7000)).toBe('webp');
  });
});
