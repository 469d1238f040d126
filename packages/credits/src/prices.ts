/**
 * What each operation costs, following remove.bg's published prices, in units (1 credit = 4 units).
 * The web preview is free; everything full-resolution costs 1 credit.
 */
export type Channel = 'web' | 'api';

export const API_SIZES = ['preview', 'small', 'regular', 'medium', 'hd', 'full', '4k', '50MP', 'auto'] as const;
export type ApiSize = (typeof API_SIZES)[number];

/** remove.bg prices `auto` as a preview when the produced image has at most 0.25 megapixels. */
export const PREVIEW_MAX_PIXELS = 250_000;

const PREVIEW_UNITS = 1;
const FULL_UNITS = 4;

const API_FIXED: Record<Exclude<ApiSize, 'auto'>, number> = {
  preview: PREVIEW_UNITS,
  small: PREVIEW_UNITS,
  regular: PREVIEW_UNITS,
  medium: FULL_UNITS,
  hd: FULL_UNITS,
  full: FULL_UNITS,
  '4k': FULL_UNITS,
  '50MP': FULL_UNITS,
};

function unknownSize(channel: Channel, size: string): Error {
  return new Error(`Unknown ${channel} size "${size}".`);
}

/**
 * Price of one operation. `output` is the produced image's size, needed only for api `auto`
 * (cropping changes nothing for the fixed sizes).
 */
export function priceUnits(channel: Channel, size: string, output?: { width: number; height: number }): number {
  if (channel === 'web') {
    if (size === 'preview') return 0;
    if (size === 'hd' || size === 'full') return FULL_UNITS;
    throw unknownSize(channel, size);
  }
  if (size === 'auto') {
    if (!output) throw new Error('The price of size "auto" depends on the output size; pass it.');
    return output.width * output.height <= PREVIEW_MAX_PIXELS ? PREVIEW_UNITS : FULL_UNITS;
  }
  const fixed = API_FIXED[size as Exclude<ApiSize, 'auto'>];
  if (fixed === undefined) throw unknownSize(channel, size);
  return fixed;
}

/** What to reserve before the output size is known (auto may turn out to be full size). */
export function maxPriceUnits(channel: Channel, size: string): number {
  if (channel === 'api' && size === 'auto') return FULL_UNITS;
  return priceUnits(channel, size);
}
