// The render options, in remove.bg's own syntax. Imported by the web app and the service (no sharp here).
// Shape checks live in the zod schema; value checks that need the image (roi bounds) happen in
// the service's pipeline (apps/inference/src/pipeline/options/), which answers the remove.bg error codes.
import { z } from 'zod';

export { ERROR_CODES, ERROR_CODE_LIST, type ErrorCode } from './errors.ts';

export const MAX_UPLOAD_BYTES = 22 * 1024 * 1024;
export const MAX_INPUT_PIXELS = 50_000_000;
/** The largest image the pipeline lays out (a crop canvas with its margins), whatever the input. */
export const MAX_OUTPUT_PIXELS = 50_000_000;
/** remove.bg caps PNG output at 10 megapixels (downscaled, aspect kept); jpg/webp/zip go to the size's limit. */
export const MAX_PNG_PIXELS = 10_000_000;

export const SIZES = ['preview', 'small', 'regular', 'medium', 'hd', 'full', '4k', '50MP', 'auto'] as const;
export const FORMATS = ['auto', 'png', 'jpg', 'webp', 'zip'] as const;
export const CHANNELS = ['rgba', 'alpha'] as const;
/** remove.bg's shadow types; `auto` picks `car` or `drop` from the subject's shape (apps/inference README). */
export const SHADOW_TYPES = ['none', 'drop', '3D', 'car', 'auto'] as const;
/** shadow_opacity's default: 90 for a car shadow, 50 for the others. */
export const SHADOW_OPACITY_DEFAULT = { car: 90, other: 50 } as const;

export type Size = (typeof SIZES)[number];
export type Format = (typeof FORMATS)[number];
export type OutputFormat = Exclude<Format, 'auto'>;
export type ShadowType = (typeof SHADOW_TYPES)[number];

/** The most output pixels each size allows. `auto` is the highest up to 25 MP. */
export const SIZE_MAX_PIXELS: Record<Size, number> = {
  preview: 250_000,
  small: 250_000,
  regular: 250_000,
  medium: 1_500_000,
  hd: 4_000_000,
  full: 25_000_000,
  '4k': 25_000_000,
  '50MP': 50_000_000,
  auto: 25_000_000,
};

export const renderOptionsSchema = z.object({
  size: z.enum(SIZES).default('auto'),
  format: z.enum(FORMATS).default('auto'),
  channels: z.enum(CHANNELS).default('rgba'),
  roi: z.string().max(200).optional(),
  crop: z.boolean().optional(),
  cropMargin: z.string().max(200).optional(),
  scale: z.string().max(50).optional(),
  position: z.string().max(50).optional(),
  bgColor: z.string().max(50).optional(),
  /** false: a hard alpha (only a 1-pixel anti-aliased edge), hardened at the output resolution. */
  semitransparency: z.boolean().optional(),
  type: z.string().max(50).optional(),
  shadowType: z.enum(SHADOW_TYPES).default('none'),
  /** 0–100; without it 90 for a car shadow, 50 otherwise. */
  shadowOpacity: z.number().int().min(0).max(100).optional(),
});

export type RenderOptions = z.input<typeof renderOptionsSchema>;
export type ResolvedRenderOptions = z.output<typeof renderOptionsSchema>;

import { RenderError } from './errors.ts';

const FIELD_CODES = {
  size: 'invalid_size',
  format: 'invalid_format',
  channels: 'invalid_channels',
  shadowType: 'invalid_shadow_type',
  shadowOpacity: 'invalid_shadow_opacity',
} as const;

const FIELD_MESSAGES: Record<keyof typeof FIELD_CODES, string> = {
  size: `The size must be one of: ${SIZES.join(', ')}.`,
  format: `The format must be one of: ${FORMATS.join(', ')}.`,
  channels: `The channels must be one of: ${CHANNELS.join(', ')}.`,
  shadowType: `The shadow_type must be one of: ${SHADOW_TYPES.join(', ')}.`,
  shadowOpacity: 'The shadow_opacity must be a whole number from 0 to 100.',
};

/**
 * Validates the shape of the options (unknown keys are ignored) and fills defaults. Throws a
 * RenderError with remove.bg's code for the first bad field. Values that need the image (roi
 * bounds) are checked later by the pipeline.
 */
export function parseRenderOptions(raw: unknown): ResolvedRenderOptions {
  const parsed = renderOptionsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const code = (FIELD_CODES as Record<string, (typeof FIELD_CODES)[keyof typeof FIELD_CODES]>)[field];
  if (code) throw new RenderError(code, FIELD_MESSAGES[field as keyof typeof FIELD_CODES]);
  throw new RenderError(
    'invalid_options',
    `The option "${field || 'options'}" is not valid: ${issue?.message ?? 'wrong type'}.`,
  );
}
