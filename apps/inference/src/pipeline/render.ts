// The render pipeline: upload bytes + remove.bg options → the encoded result and its metadata.
// Order: validate options → header probe (limits, before decoding) → [model input + model run
// (cached by content hash)] ∥ [strict decode at the working size] → refine alpha → a person's
// erase/restore strokes, if any (edits.ts) → input alpha and roi → foreground box → crop/scale/position (a crop keeps the shadow's room) → [PNG cap,
// semitransparency=false, shadow: at the output resolution] → background → encode.
import { createHash } from 'node:crypto';
import { type EditDocument, parseEditDocument } from '@bgr/strokes';
import sharp from 'sharp';
import { MaskCache } from '../cache/mask-cache.ts';
import { RenderError } from '@bgr/inference-client/errors';
import type { ModelSession } from '../model/session.ts';
import {
  MAX_PNG_PIXELS,
  SIZE_MAX_PIXELS,
  parseRenderOptions,
  type OutputFormat,
  type RenderOptions,
  type ResolvedRenderOptions,
} from '@bgr/inference-client/options';
import { Semaphore } from '../util/semaphore.ts';
import { decodeBackground, overColor, overImage } from './background.ts';
import { decodeImage, probe, type ProbeResult } from './decode.ts';
import { CONTENT_TYPES, encodeAlpha, encodeRgba, fitPixels } from './encode.ts';
import { hardenAlpha } from './harden.ts';
import { applyLayout, type LayoutOptions } from './layout.ts';
import { applyEdit, colourContext, copyRect, strokesReach } from './edits.ts';
import { modelInputFromBytes } from './model-input.ts';
import {
  parseBgColor,
  parseCropMargin,
  parsePosition,
  parseRoi,
  parseScale,
  type Rect,
  type Rgba,
} from './options/values.ts';
import { fromRaw, type RawImage, toRaw } from './raw.ts';
import { modelMask, refineAlpha } from './refine/index.ts';
import { addShadow, resolveShadow, shadowBounds } from './shadow/index.ts';

// libvips' operation cache would keep full-size intermediates alive between requests.
sharp.cache(false);

/** Alpha at or above this counts as foreground for the reported box and for crop. */
export const FOREGROUND_THRESHOLD = 8;

export type Stage = 'probe' | 'decode' | 'model' | 'refine' | 'compose' | 'shadow' | 'encode';

export interface RenderRequest {
  bytes: Uint8Array;
  options: RenderOptions | unknown;
  bgImage?: Uint8Array;
  /** A person's erase/restore strokes (an @bgr/strokes EditDocument, validated here); painted over the model's alpha. */
  edit?: unknown;
  signal?: AbortSignal;
}

export interface RenderOutput {
  body: Buffer;
  contentType: string;
  format: OutputFormat;
  width: number;
  height: number;
  foreground: Rect;
  inputWidth: number;
  inputHeight: number;
  maskCached: boolean;
  /** Which size limit applied (the requested size, e.g. "preview"). */
  size: ResolvedRenderOptions['size'];
  timings: Partial<Record<Stage, number>>;
}

export interface PipelineHooks {
  onStage?: (stage: Stage, ms: number) => void;
}

interface Plan {
  options: ResolvedRenderOptions;
  info: ProbeResult;
  roi: Rect | null;
  layout: LayoutOptions;
  bgColor: Rgba | null;
  bgInfo: ProbeResult | null;
  /** The output format before "auto" is resolved. */
  format: ResolvedRenderOptions['format'];
  /** Whether the result will be a PNG (capped at MAX_PNG_PIXELS). */
  png: boolean;
  work: { width: number; height: number };
  /** The validated strokes; null without any. */
  edit: EditDocument | null;
}

export class Pipeline {
  /** Model runs at once (the service passes INFERENCE_CONCURRENCY; default 1); pixel work is not gated. */
  readonly modelGate: Semaphore;

  constructor(
    readonly model: ModelSession,
    readonly cache: MaskCache = new MaskCache(),
    readonly hooks: PipelineHooks = {},
    modelConcurrency = 1,
  ) {
    this.modelGate = new Semaphore(modelConcurrency);
  }

  /** The mask cache key of an upload: the model and the content hash of its bytes. */
  maskKey(bytes: Uint8Array): string {
    return `${this.model.config.name}:${createHash('sha256').update(bytes).digest('hex')}`;
  }

  /** Header-only check of an upload (type, size, resolution). */
  probe(bytes: Uint8Array): Promise<ProbeResult> {
    return probe(bytes);
  }

  /** Every check that needs no pixels, so bad requests fail before any decoding or model work. */
  async plan(req: RenderRequest): Promise<Plan> {
    const options = parseRenderOptions(req.options);
    let edit: EditDocument | null = null;
    if (req.edit !== undefined && req.edit !== null) {
      const parsed = parseEditDocument(req.edit);
      if (!parsed.ok) throw new RenderError('invalid_options', parsed.error);
      if (parsed.document.strokes.length > 0) edit = parsed.document;
    }
    const info = await probe(req.bytes);
    const roi = options.roi !== undefined ? parseRoi(options.roi, info.width, info.height) : null;
    const scale = options.scale !== undefined ? parseScale(options.scale) : null;
    const position = options.position !== undefined ? parsePosition(options.position) : null;
    const margins = options.cropMargin !== undefined ? parseCropMargin(options.cropMargin) : null;
    const bgColor = options.bgColor !== undefined && options.bgColor !== '' ? parseBgColor(options.bgColor) : null;
    let bgInfo: ProbeResult | null = null;
    if (req.bgImage) {
      try {
        bgInfo = await probe(req.bgImage, 'background image');
      } catch (err) {
        if (err instanceof RenderError && err.code !== 'file_too_large' && err.code !== 'resolution_too_high') {
          throw new RenderError('invalid_bg_image', err.detail);
        }
        throw err;
      }
    }
    // PNG output is capped at 10 MP; decide up front when we know the output will be PNG, so we
    // decode straight to that size instead of downscaling later.
    const opaqueBg = (bgColor !== null && bgColor.alpha >= 1) || (bgInfo !== null && !bgInfo.hasAlpha);
    const willBePng =
      options.format === 'png' || (options.format === 'auto' && (options.channels === 'alpha' || !opaqueBg));
    const maxPixels = Math.min(SIZE_MAX_PIXELS[options.size], willBePng ? MAX_PNG_PIXELS : Infinity);
    const work = fitPixels(info.width, info.height, maxPixels);
    return {
      options,
      info,
      roi,
      layout: {
        crop: options.crop === true,
        margins,
        scale,
        position: position ?? (scale !== null ? { x: 0.5, y: 0.5 } : null),
      },
      bgColor,
      bgInfo,
      format: options.format,
      png: willBePng || (options.channels === 'alpha' && options.format === 'zip'),
      work,
      edit,
    };
  }

  async render(req: RenderRequest): Promise<RenderOutput> {
    const timings: Partial<Record<Stage, number>> = {};
    const timed = async <T>(stage: Stage, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await fn();
      } finally {
        const ms = performance.now() - t0;
        timings[stage] = (timings[stage] ?? 0) + ms;
        this.hooks.onStage?.(stage, ms);
      }
    };
    const checkAborted = () => {
      if (req.signal?.aborted) throw new RenderError('timeout', 'The image took too long to process.');
    };

    const plan = await timed('probe', () => this.plan(req));
    const { info, options } = plan;
    checkAborted();

    // The mask (model run, cached by content) and the working-size decode run side by side.
    const key = this.maskKey(req.bytes);
    // Only the model run itself is serialised: the next request's model input can be prepared
    // while the current one runs.
    const maskPromise = this.cache.get(key, async () => {
      const input = await timed('decode', () => modelInputFromBytes(req.bytes, info, this.model.config));
      return this.modelGate
        .use(async () => {
          checkAborted();
          return timed('model', () => this.model.run(input));
        })
        .then((prob) => modelMask(prob, this.model.config.inputSize, this.model.config.inputSize));
    });
    const imagePromise = timed('decode', () => decodeImage(req.bytes, info, plan.work));
    // Avoid an unhandled rejection if one side fails while the other is awaited.
    maskPromise.catch(() => {});
    imagePromise.catch(() => {});
    const image = await imagePromise;
    const { mask, cached } = await maskPromise;
    checkAborted();

    const s = this.model.config.inputSize;
    const colours = options.channels !== 'alpha';
    const { edit } = plan;
    const refined = await timed('refine', async () => {
      const rgba = withAlpha(image);
      // refineAlpha corrects colours in place for the model's alpha; the strokes' region keeps its
      // original colours for the estimate redone after painting.
      const reach =
        edit && colours
          ? strokesReach(edit, rgba.width, rgba.height, colourContext(edit, rgba.width, rgba.height))
          : null;
      const original = reach ? copyRect(rgba, reach) : null;
      const result = await refineAlpha({ mask, probWidth: s, probHeight: s, image: rgba, colours });
      // The refined alpha is this render's own buffer (the cache holds the model-size mask), so painting it is safe.
      if (edit) await applyEdit({ doc: edit, alpha: result.alpha, image: rgba, original, checkAborted });
      return result;
    });
    checkAborted();

    const laid = await timed('compose', async () => {
      const rgba = withAlpha(image);
      const subject = finishAlpha(rgba, refined.alpha, plan.roi && scaleRect(plan.roi, info, rgba));
      const shadow = subject.width > 0 ? resolveShadow(options, rgba) : null;
      // A crop keeps the shadow: the canvas is cut around the subject and its shadow together.
      const shadowBox = shadow && plan.layout.crop ? shadowBounds(rgba, shadow) : null;
      const box = shadowBox ? unionRect(subject, shadowBox) : subject;
      const out = await applyLayout(rgba, box, plan.layout);
      // X-Foreground-* stays the subject's own box.
      return { image: out.image, foreground: mapRect(subject, box, out.foreground), shadow };
    });
    checkAborted();

    const hard = options.semitransparency === false;
    const shaded =
      laid.shadow || hard
        ? await timed('shadow', async () => {
            let { image: out, foreground } = laid;
            // The PNG cap's resize happens here, so the alpha is hardened and the shadow drawn at
            // the size that is encoded.
            const fit = plan.png ? fitPixels(out.width, out.height, MAX_PNG_PIXELS) : out;
            if (fit.width !== out.width || fit.height !== out.height) {
              const k = fit.width / out.width;
              out = await toRaw(fromRaw(out).resize(fit.width, fit.height, { fit: 'fill', kernel: 'lanczos3' }));
              foreground = scaleBox(foreground, k);
            }
            if (hard) hardenAlpha(out);
            if (laid.shadow) await addShadow(out, laid.shadow);
            return { image: out, foreground };
          })
        : laid;
    checkAborted();

    const composed = await timed('compose', async () => {
      const subjectAlpha = options.channels === 'alpha' ? alphaPlane(shaded.image) : null;
      let final = shaded.image;
      if (plan.bgColor) final = await overColor(final, plan.bgColor);
      // Decoded straight at the canvas size (shrink-on-load), never at its own full size.
      else if (req.bgImage && plan.bgInfo)
        final = await overImage(final, await decodeBackground(req.bgImage, final.width, final.height));
      return { final, subjectAlpha, foreground: shaded.foreground };
    });
    checkAborted();

    return timed('encode', async () => {
      let format: OutputFormat;
      let encoded;
      if (composed.subjectAlpha) {
        format = plan.format === 'jpg' || plan.format === 'webp' ? plan.format : 'png';
        if (plan.format === 'zip') format = 'png';
        encoded = await encodeAlpha(composed.subjectAlpha, format as 'png' | 'jpg' | 'webp');
      } else {
        format = plan.format === 'auto' ? (hasTransparency(composed.final) ? 'png' : 'jpg') : plan.format;
        encoded = await encodeRgba(composed.final, format);
      }
      const k = encoded.width / composed.final.width;
      const foreground = k === 1 ? composed.foreground : scaleBox(composed.foreground, k);
      return {
        body: encoded.body,
        contentType: CONTENT_TYPES[format],
        format,
        width: encoded.width,
        height: encoded.height,
        foreground,
        inputWidth: info.width,
        inputHeight: info.height,
        maskCached: cached,
        size: options.size,
        timings,
      };
    });
  }
}

/** The decoder gives 3 or 4 channels; the compose stage writes alpha in place, so make it 4. */
function withAlpha(img: RawImage): RawImage {
  if (img.channels === 4) return img;
  const n = img.width * img.height;
  const out = Buffer.allocUnsafe(n * 4);
  const src = img.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i * 4] = src[j]!;
    out[i * 4 + 1] = src[j + 1]!;
    out[i * 4 + 2] = src[j + 2]!;
    out[i * 4 + 3] = 255;
  }
  img.data = out;
  img.channels = 4;
  return img;
}

function scaleBox(r: Rect, k: number): Rect {
  return {
    left: Math.round(r.left * k),
    top: Math.round(r.top * k),
    width: Math.round(r.width * k),
    height: Math.round(r.height * k),
  };
}

function unionRect(a: Rect, b: Rect): Rect {
  const left = Math.min(a.left, b.left);
  const top = Math.min(a.top, b.top);
  return {
    left,
    top,
    width: Math.max(a.left + a.width, b.left + b.width) - left,
    height: Math.max(a.top + a.height, b.top + b.height) - top,
  };
}

/** `inner` (a part of `from`) where the layout put it, given that `from` landed on `to`. */
function mapRect(inner: Rect, from: Rect, to: Rect): Rect {
  if (from === inner || from.width === 0 || from.height === 0) return to;
  const kx = to.width / from.width;
  const ky = to.height / from.height;
  return {
    left: to.left + Math.round((inner.left - from.left) * kx),
    top: to.top + Math.round((inner.top - from.top) * ky),
    width: Math.round(inner.width * kx),
    height: Math.round(inner.height * ky),
  };
}

/** The roi (input pixels) in working-size pixels. */
function scaleRect(r: Rect, info: ProbeResult, work: RawImage): Rect {
  const kx = work.width / info.width;
  const ky = work.height / info.height;
  const left = Math.floor(r.left * kx);
  const top = Math.floor(r.top * ky);
  return {
    left,
    top,
    width: Math.max(1, Math.ceil((r.left + r.width) * kx) - left),
    height: Math.max(1, Math.ceil((r.top + r.height) * ky) - top),
  };
}

/**
 * Writes the final alpha into rgba's 4th channel in place: model alpha × input alpha, zero
 * outside the roi (the colours were already decontaminated in place by refineAlpha). Returns the
 * foreground's bounding box. One pass, per row the first and last foreground pixel only.
 */
function finishAlpha(rgba: RawImage, alpha: RawImage, roi: Rect | null): Rect {
  const { width, height } = rgba;
  const d = rgba.data;
  const a = alpha.data;
  let minX = width,
    minY = height,
    maxX = -1,
    maxY = -1;
  const rx0 = roi ? roi.left : 0,
    ry0 = roi ? roi.top : 0;
  const rx1 = roi ? roi.left + roi.width : width,
    ry1 = roi ? roi.top + roi.height : height;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (y < ry0 || y >= ry1) {
      for (let x = 0, o = row * 4 + 3; x < width; x++, o += 4) d[o] = 0;
      continue;
    }
    let first = -1,
      last = -1;
    for (let x = 0, i = row, o = row * 4 + 3; x < width; x++, i++, o += 4) {
      let v = x >= rx0 && x < rx1 ? a[i]! : 0;
      const input = d[o]!;
      if (input !== 255 && v !== 0) v = Math.round((v * input) / 255);
      d[o] = v;
      if (v >= FOREGROUND_THRESHOLD) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) {
      if (first < minX) minX = first;
      if (last > maxX) maxX = last;
      if (y < minY) minY = y;
      maxY = y;
    }
  }
  return maxX < 0
    ? { left: 0, top: 0, width: 0, height: 0 }
    : { left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

function alphaPlane(rgba: RawImage): RawImage {
  const n = rgba.width * rgba.height;
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = rgba.data[i * 4 + 3]!;
  return { data: out, width: rgba.width, height: rgba.height, channels: 1 };
}

function hasTransparency(rgba: RawImage): boolean {
  const d = rgba.data;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 255) return true;
  return false;
}
