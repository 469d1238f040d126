/**
 * "Download HD": charge once per picture, render the full-size cut-out, store it, hand it out.
 *
 * The charge runs through withCharge (packages/db charge.ts) under the key `hd:<content hash>`, kept
 * for ever: a second click, a retry or the same picture uploaded again finds the captured key and
 * is free. A failed attempt stores nothing under the key, so the next one (or an identical upload)
 * is charged once, when it succeeds. Every render — paid or free, another background colour or
 * format or shadow — counts against the per-user HD render limit and is a usage event; at most
 * MAX_IMAGE_VARIANTS renders are stored per image (the oldest are deleted). A person's saved
 * erase/restore strokes (./edits.ts) go to the renderer with the image and name the stored file
 * (`-e<revision>`), so each edit revision is its own variant; an edited image is charged like any
 * other (once per picture), and one already paid for downloads its edited versions free.
 */
import type { Db } from '@bgr/db/client';
import { ChargeError, findChargeKey, withCharge } from '@bgr/db/queries/charge';
import { addImageVariant, getImage, markImageHd } from '@bgr/db/queries/images';
import { recordUsage } from '@bgr/db/queries/usage';
import type { InferenceClient } from '@bgr/inference-client';
import { MAX_PNG_PIXELS } from '@bgr/inference-client/options';
import { formatCredits, priceUnits, unitsToCredits } from '@bgr/credits';
import type { BlobStorage } from '../storage/types';
import { storageKeys } from '../storage/index';
import { AppError } from '../errors/app-error';
import { editForRender } from './edits';
import { toAppError } from '../errors/to-app-error';
import { takeWebQuota } from '../web-quota';
import { type ShadowChoice, shadowVariant } from '../../lib/shadow';
import { shortfallSentence } from '~/lib/shortfall';

export const HD_FORMATS = ['png', 'webp', 'zip'] as const;
export type HdFormat = (typeof HD_FORMATS)[number];
/** remove.bg caps PNG output at 10 MP; larger images come as WebP or ZIP (colour JPEG + alpha PNG). */
export const PNG_MAX_MEGAPIXELS = MAX_PNG_PIXELS / 1e6;

export function hdFormatsFor(width: number, height: number): HdFormat[] {
  return (width * height) / 1e6 > PNG_MAX_MEGAPIXELS ? ['webp', 'zip'] : ['png', 'webp', 'zip'];
}

const CONTENT_TYPES: Record<HdFormat, string> = { png: 'image/png', webp: 'image/webp', zip: 'application/zip' };

export type HdDeps = { db: Db; storage: BlobStorage; inference: InferenceClient };
export type HdRequest = {
  userId: string;
  imageId: string;
  format: HdFormat;
  /** A hex colour (no '#') to fill the background with, or undefined for transparent. */
  bgColor?: string;
  /** A shadow under the subject (another shadow of a paid image is another free variant). */
  shadow?: ShadowChoice | null;
  /** false: never take a new charge (used by GET downloads, which must have no side effects). */
  allowCharge?: boolean;
  /** true: the caller already counted this render against the HD limit (a ZIP counts all its images first). */
  quotaTaken?: boolean;
  now?: Date;
};
export type HdResult = { charged: boolean; body: Buffer; contentType: string; filename: string };

/** The idempotency key of an image's HD charge: by content, so the same picture uploaded again is the same image. */
function hdChargeKey(contentHash: string): string {
  return `hd:${contentHash}`;
}

/** Whether this image's HD is already paid for (by this upload, or by an identical earlier one). */
export async function isHdPaid(
  db: Db,
  image: { userId: string; contentHash: string; hdHoldId: string | null },
): Promise<boolean> {
  if (image.hdHoldId) return true;
  return (
    (await findChargeKey(db, { userId: image.userId, key: hdChargeKey(image.contentHash) }))?.status === 'captured'
  );
}

export async function downloadHd(deps: HdDeps, req: HdRequest): Promise<HdResult> {
  const { db, storage, inference } = deps;
  const image = await getImage(db, req.imageId);
  if (!image || image.userId !== req.userId)
    throw new AppError('not_found', 'That image does not exist or has been deleted.', 404);
  if (!hdFormatsFor(image.width, image.height).includes(req.format)) {
    throw new AppError(
      'invalid_format',
      `Images over ${PNG_MAX_MEGAPIXELS} megapixels are available as WebP or ZIP, not PNG.`,
    );
  }
  const bg = req.bgColor ? normaliseHex(req.bgColor) : undefined;
  const units = priceUnits('web', 'hd');
  const shadow = req.shadow ?? null;
  const edit = await editForRender(db, image);
  const resultKey = storageKeys.result(
    image.storageKey,
    `${bg ?? 'transparent'}${shadowVariant(shadow)}${edit ? `-e${edit.revision}` : ''}.${req.format}`,
  );
  const filename = hdFilename(image.originalName, req.format);
  const megapixels = (image.width * image.height) / 1e6;
  const key = hdChargeKey(image.contentHash);

  const paidKey = await findChargeKey(db, { userId: req.userId, key, ...(req.now ? { now: req.now } : {}) });
  const paid = Boolean(image.hdHoldId) || paidKey?.status === 'captured';
  if (paid) {
    const stored = await storage.get(resultKey);
    if (stored) {
      if (!image.hdHoldId && paidKey)
        await markImageHd(db, {
          imageId: image.id,
          holdId: paidKey.holdId,
          resultKey,
          format: req.format,
          now: req.now,
        });
      return { charged: false, body: stored, contentType: CONTENT_TYPES[req.format], filename };
    }
  } else if (req.allowCharge === false) {
    throw new AppError('not_paid', 'Download this image in HD from the home page first.', 402);
  }

  // From here on a render happens: it counts against the per-user limit (429 with a sentence).
  if (!req.quotaTaken) await takeWebQuota(db, req.userId, 'hd', 1, req.now);
  const render = async () => {
    const original = await storage.get(image.storageKey);
    if (!original)
      throw new AppError('gone', 'The original of this image has been deleted. Please upload it again.', 410);
    const result = await inference.render(
      original,
      {
        size: 'full',
        format: req.format,
        channels: 'rgba',
        ...(bg ? { bgColor: bg } : {}),
        ...(shadow ? { shadowType: shadow.type, shadowOpacity: shadow.opacity } : {}),
      },
      edit ? { edit: edit.document } : {},
    );
    await storage.put(resultKey, result.body);
    return result;
  };

  let charged = 0;
  let holdId = image.hdHoldId ?? paidKey?.holdId ?? null;
  let result: Awaited<ReturnType<typeof render>>;
  try {
    if (paid) result = await render();
    else {
      const done = await withCharge(
        db,
        {
          userId: req.userId,
          units,
          kind: 'hd',
          channel: 'web',
          key,
          fingerprint: image.contentHash,
          ttlMs: null,
          ...(req.now ? { now: req.now } : {}),
        },
        async () => ({ value: await render() }),
      );
      result = done.value;
      charged = done.units;
      holdId = done.holdId;
    }
  } catch (err) {
    const userErr = err instanceof ChargeError ? chargeRefusal(err) : toAppError(err);
    await recordUsage(db, {
      userId: req.userId,
      channel: 'web',
      kind: 'hd',
      units: 0,
      megapixels,
      ok: false,
      errorCode: userErr.code,
      ...(req.now ? { now: req.now } : {}),
    }).catch(() => {});
    throw userErr;
  }

  // Keep at most MAX_IMAGE_VARIANTS renders of this image; the oldest files go.
  for (const evicted of await addImageVariant(db, {
    imageId: image.id,
    storageKey: resultKey,
    ...(req.now ? { now: req.now } : {}),
  })) {
    await storage.delete(evicted).catch(() => {});
  }
  if (holdId)
    await markImageHd(db, {
      imageId: image.id,
      holdId,
      resultKey,
      width: result.width,
      height: result.height,
      format: req.format,
      now: req.now,
    });
  await recordUsage(db, {
    userId: req.userId,
    channel: 'web',
    kind: 'hd',
    units: charged,
    megapixels,
    ok: true,
    ...(req.now ? { now: req.now } : {}),
  });
  return { charged: charged > 0, body: result.body, contentType: CONTENT_TYPES[req.format], filename };
}

function chargeRefusal(err: ChargeError): AppError {
  if (err.code === 'insufficient') {
    return new AppError(
      'insufficient_credits',
      `You need ${formatCredits(unitsToCredits(err.units))} to download this image in HD, but your balance is ${formatCredits(unitsToCredits(err.available))}.${shortfallSentence(err.shortOf)} Nothing was charged.`,
      402,
    );
  }
  if (err.code === 'in_progress')
    return new AppError(
      'in_progress',
      'This image is already being prepared in HD. Please try again in a moment.',
      409,
    );
  return new AppError('internal', 'Something went wrong while preparing the download. Please try again.', 500);
}

function normaliseHex(value: string): string {
  const hex = value.replace(/^#/, '').toLowerCase();
  if (!/^([0-9a-f]{3}|[0-9a-f]{6})$/.test(hex))
    throw new AppError('invalid_bg_color', 'That background colour is not valid.');
  return hex;
}

/** The download's file name: `<original name without extension>-no-bg.<format>`. */
export function hdFilename(originalName: string | null, format: HdFormat): string {
  return `${baseName(originalName)}-no-bg.${format}`;
}

function baseName(name: string | null): string {
  const base = (name ?? 'image')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 80);
  return base || 'image';
}
