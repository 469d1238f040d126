/**
 * The parameter rules of POST /v1.0/removebg: which fields exist, their aliases and defaults,
 * "exactly one image source", "at most one background source", booleans in any spelling.
 * Syntax that needs the image (roi bounds, …) is checked by the inference service, which
 * answers remove.bg's own codes.
 */
import {
  CHANNELS,
  FORMATS,
  MAX_UPLOAD_BYTES,
  SHADOW_TYPES,
  SIZES,
  type RenderOptions,
  type ShadowType,
  type Size,
} from '@bgr/inference-client/options';
import type { FieldValue, Fields } from './body';
import { ApiError, type ApiErrorCode } from './errors';

export type ImageSource = { kind: 'bytes'; bytes: Uint8Array; filename?: string } | { kind: 'url'; url: string };

export interface RemoveBgParams {
  source: ImageSource;
  /** A background image (bg_image_url / bg_image_file); bg_color travels in `options`. */
  background?: ImageSource;
  options: RenderOptions & { size: Size };
}

/** remove.bg's documented default: a preview-sized result (0.25 MP, ¼ credit). */
export const DEFAULT_SIZE: Size = 'preview';

const MB = MAX_UPLOAD_BYTES / (1024 * 1024);

function asText(value: FieldValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  return Buffer.from(value.bytes).toString('utf8').trim() || undefined;
}

function asBytes(value: FieldValue): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value.bytes;
}

/** Case-insensitive lookup in a list of canonical spellings ('50mp' → '50MP'). */
function oneOf<T extends string>(
  list: readonly T[],
  raw: string | undefined,
  code: ApiErrorCode,
  name: string,
): T | undefined {
  if (raw === undefined) return undefined;
  const found = list.find((item) => item.toLowerCase() === raw.toLowerCase());
  if (!found) throw new ApiError(code, `${name} must be one of ${list.join(', ')}; got "${raw}".`);
  return found;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function parseBoolean(raw: string | undefined, name: string): boolean | undefined {
  if (raw === undefined) return undefined;
  const value = raw.toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ApiError('invalid_options', `${name} must be true or false; got "${raw}".`);
}

/** remove.bg accepts "0" without a unit inside roi and crop_margin; the renderer wants "0px". */
export function unitlessZeros(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value
    .trim()
    .split(/\s+/)
    .map((token) => (/^[+-]?0+(\.0+)?$/.test(token) ? '0px' : token))
    .join(' ');
}

const HEX_COLOR = /^#?([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const COLOR_NAME = /^[a-z]+$/i;

/** Hex with 3/4/6/8 digits (with or without '#') or a colour name (the renderer knows the names). */
export function parseBgColor(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (HEX_COLOR.test(raw)) return raw.replace(/^#/, '').toLowerCase();
  if (COLOR_NAME.test(raw)) return raw.toLowerCase();
  throw new ApiError(
    'invalid_bg_color',
    `bg_color must be a hex colour with 3, 4, 6 or 8 digits (like 81d4fa) or a colour name; got "${raw}".`,
  );
}

/** shadow_opacity: a whole number from 0 to 100 (a JSON number arrives as its text). */
export function parseShadowOpacity(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 0 && value <= 100)) {
    throw new ApiError('invalid_shadow_opacity', `shadow_opacity must be a whole number from 0 to 100; got "${raw}".`);
  }
  return value;
}

/** shadow_type (any case: "3d" is "3D"); add_shadow=true is the older spelling of shadow_type=auto. */
export function parseShadowType(
  shadowType: string | undefined,
  addShadow: boolean | undefined,
): ShadowType | undefined {
  const type = oneOf(SHADOW_TYPES, shadowType, 'invalid_shadow_type', 'shadow_type');
  return type ?? (addShadow === true ? 'auto' : undefined);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Decodes image_file_b64, tolerating a `data:image/…;base64,` prefix and line breaks. A form body
 * sent with `curl --data image_file_b64=…` does not percent-encode `+`, which then arrives as a
 * space: when the text has spaces but no `+`, the spaces are taken as the `+` they were.
 */
export function decodeBase64Image(raw: string): Uint8Array {
  const stripped = raw
    .replace(/^\s*data:[^,]*?;base64,/i, '')
    .replace(/[\r\n\t\f\v]+/g, '')
    .trim();
  const payload = stripped.includes('+') ? stripped.replace(/ +/g, '') : stripped.replace(/ /g, '+');
  if (!BASE64.test(payload) || payload.length % 4 === 1) {
    throw new ApiError('failed_to_read_image', 'image_file_b64 is not valid base64.');
  }
  // Refuse before decoding: 4 base64 characters carry 3 bytes.
  if (Math.floor((payload.length * 3) / 4) - 2 > MAX_UPLOAD_BYTES) {
    throw new ApiError('file_too_large', `The image is larger than ${MB} MB.`);
  }
  const bytes = Buffer.from(payload, payload.includes('-') || payload.includes('_') ? 'base64url' : 'base64');
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new ApiError('file_too_large', `The image is larger than ${MB} MB.`);
  return bytes;
}

function checkUploadSize(bytes: Uint8Array, what: string): void {
  if (bytes.byteLength > MAX_UPLOAD_BYTES) {
    throw new ApiError('file_too_large', `The ${what} is larger than ${MB} MB.`);
  }
}

/** The image given by exactly one of image_file, image_file_b64, image_url. */
export function parseImageSource(fields: Fields): ImageSource {
  const file = fields.get('image_file');
  const b64 = asText(fields.get('image_file_b64'));
  const url = asText(fields.get('image_url'));
  const given = [file !== undefined, b64 !== undefined, url !== undefined].filter(Boolean).length;
  if (given === 0) {
    throw new ApiError('missing_source', 'Give the image as exactly one of image_file, image_file_b64 or image_url.');
  }
  if (given > 1) {
    throw new ApiError('multiple_sources', 'Give only one of image_file, image_file_b64 or image_url.');
  }
  if (file !== undefined) {
    const bytes = asBytes(file);
    checkUploadSize(bytes, 'image');
    return { kind: 'bytes', bytes, filename: typeof file === 'string' ? undefined : file.filename };
  }
  if (b64 !== undefined) return { kind: 'bytes', bytes: decodeBase64Image(b64) };
  return { kind: 'url', url: url! };
}

function parseBackground(fields: Fields): { bgColor?: string; background?: ImageSource } {
  const color = asText(fields.get('bg_color'));
  const url = asText(fields.get('bg_image_url'));
  const file = fields.get('bg_image_file');
  const given = [color !== undefined, url !== undefined, file !== undefined].filter(Boolean).length;
  if (given > 1) {
    throw new ApiError('multiple_bg_sources', 'Give only one of bg_color, bg_image_url or bg_image_file.');
  }
  if (color !== undefined) return { bgColor: parseBgColor(color) };
  if (url !== undefined) return { background: { kind: 'url', url } };
  if (file !== undefined) {
    const bytes = asBytes(file);
    checkUploadSize(bytes, 'background image');
    return { background: { kind: 'bytes', bytes } };
  }
  return {};
}

/**
 * Validates every remove.bg parameter we understand. Unknown fields are ignored; type_level is
 * accepted and has no effect.
 */
export function parseRemoveBgParams(fields: Fields): RemoveBgParams {
  const text = (name: string) => asText(fields.get(name));
  const source = parseImageSource(fields);
  const size = oneOf(SIZES, text('size'), 'invalid_size', 'size') ?? DEFAULT_SIZE;
  const format = oneOf(FORMATS, text('format'), 'invalid_format', 'format') ?? 'auto';
  const channels = oneOf(CHANNELS, text('channels'), 'invalid_channels', 'channels') ?? 'rgba';
  const crop = parseBoolean(text('crop'), 'crop');
  const semitransparency = parseBoolean(text('semitransparency'), 'semitransparency');
  const shadowType = parseShadowType(text('shadow_type'), parseBoolean(text('add_shadow'), 'add_shadow'));
  const shadowOpacity = parseShadowOpacity(text('shadow_opacity'));
  const { bgColor, background } = parseBackground(fields);

  const options: RemoveBgParams['options'] = { size, format, channels };
  const roi = unitlessZeros(text('roi'));
  if (roi !== undefined) options.roi = roi;
  if (crop !== undefined) options.crop = crop;
  const cropMargin = unitlessZeros(text('crop_margin'));
  if (cropMargin !== undefined) options.cropMargin = cropMargin;
  const scale = text('scale');
  if (scale !== undefined) options.scale = scale;
  const position = text('position');
  if (position !== undefined) options.position = position;
  if (bgColor !== undefined) options.bgColor = bgColor;
  if (semitransparency !== undefined) options.semitransparency = semitransparency;
  const type = text('type');
  if (type !== undefined) options.type = type;
  if (shadowType !== undefined) options.shadowType = shadowType;
  if (shadowOpacity !== undefined) options.shadowOpacity = shadowOpacity;
  return background ? { source, background, options } : { source, options };
}

export interface ImproveParams {
  source: ImageSource;
  filename?: string;
  tag?: string;
}

/** POST /v1.0/improve: the image (same three sources), an optional file name and tag. */
export function parseImproveParams(fields: Fields): ImproveParams {
  const source = parseImageSource(fields);
  const filename =
    asText(fields.get('image_filename')) ?? (source.kind === 'bytes' ? source.filename || undefined : undefined);
  const tag = asText(fields.get('tag'));
  return {
    source,
    ...(filename ? { filename: filename.slice(0, 255) } : {}),
    ...(tag ? { tag: tag.slice(0, 100) } : {}),
  };
}
