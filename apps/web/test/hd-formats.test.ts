import { expect, it } from 'vitest';
import { hdFormatsFor, PNG_MAX_MEGAPIXELS } from '~/server/images/hd';

it('offers PNG up to 10 megapixels, and WebP or ZIP above', () => {
  expect(PNG_MAX_MEGAPIXELS).toBe(10);
  expect(hdFormatsFor(4000, 2500)).toEqual(['png', 'webp', 'zip']); // exactly 10 MP
  expect(hdFormatsFor(4001, 2500)).toEqual(['webp', 'zip']);
  expect(hdFormatsFor(7000, 7000)).toEqual(['webp', 'zip']);
  expect(hdFormatsFor(640, 480)).toEqual(['png', 'webp', 'zip']);
});
