/**
 * "Download HD": charge once per image, render the full-size cut-out, store it, hand it out.
 *
 * reserve(key "hd:<content hash>") → render → capture, or release on any failure. The hold key makes
 * the charge idempotent: a second click, a retry, a replayed request or the same picture uploaded
 * again finds the captured hold (and the image row remembers it), so the same image's HD again is free.
 */
import type { Db } from '@bgr/db/client';
import { getImage, markImageHd } from '@bgr/db/queries/images';
import { capture, findHold, release, reserve } from '@bgr/db/queries/ledger';
import { recordUsage } from '@bgr/db/queries/usage';
import type { InferenceClient } from '@bgr/inference/client';
import { priceUnits, unitsToCredits } from '@bgr/credits';
import type { BlobStorage } from '../storage/types';
import { storageKeys } from '../storage/index';
import { UserError, toUserError } from '../user-error';
import { formatCredits } from '../../lib/format';

export const HD_FORMATS = ['png', 'webp', 'zip'] as const;
export type HdFormat = (typeof HD_FORMATS)[number];
/** remove.bg caps PNG output at 10 MP; larger images come as WebP or ZIP (colour JPEG + alpha PNG). */
export const PNG_MAX_MEGAPIXELS = 10;

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
  /** false: never take a new charge (used by GET downloads, which must have no side effects). */
  allowCharge?: boolean;
  now?: Date;
};
export type HdResult = { charged: boolean; body: Buffer; contentType: string; filename: string };

/** The hold key of an image's HD charge: by content, so the same picture uploaded again is the same image. */
function hdHoldKey(contentHash: string): string {
  return `hd:${contentHash}`;
}

/** Whether this image's HD is already paid for (by this upload, or by an identical earlier one). */
export async function isHdPaid(db: Db, image: { userId: string; contentHash: string; hdHoldId: string | null }): Promise<boolean> {
  if (image.hdHoldId) return true;
  return (await findHold(db, { userId: image.userId, key: hdHoldKey(image.contentHash) }))?.status === 'captured';
}

export async function downloadHd(deps: HdDeps, req: HdRequest): Promise<HdResult> {
  const { db, storage, inference } = deps;
  const image = await getImage(db, req.imageId);
  if (!image || image.userId !== req.userId) throw new UserError('not_found', 'That image does not exist or has been deleted.', 404);
  if (!hdFormatsFor(image.width, image.height).includes(req.format)) {
    throw new UserError('invalid_format', `Images over ${PNG_MAX_MEGAPIXELS} megapixels are available as WebP or ZIP, not PNG.`);
  }
  const bg = req.bgColor ? normaliseHex(req.bgColor) : undefined;
  const units = priceUnits('web', 'hd');
  const resultKey = storageKeys.result(image.storageKey, `${bg ?? 'transparent'}.${req.format}`);
  const filename = `${baseName(image.originalName)}-no-bg.${req.format}`;

  let paid = Boolean(image.hdHoldId);
  let holdId: string | null = null;
  /** Set when these bytes were paid for under another upload: this image row is marked paid too. */
  let paidByHoldId: string | null = null;
  if (!paid) {
    if (req.allowCharge === false) throw new UserError('not_paid', 'Download this image in HD from the home page first.', 402);
    const hold = await takeHold(db, req.userId, image.contentHash, units, req.now);
    if (hold.status === 'captured') {
      paid = true;
      paidByHoldId = hold.id;
    } else holdId = hold.id;
  }

  if (paid) {
    const stored = await storage.get(resultKey);
    if (stored) return { charged: false, body: stored, contentType: CONTENT_TYPES[req.format], filename };
  }

  let body: Buffer;
  let size = { width: image.width, height: image.height };
  try {
    const original = await storage.get(image.storageKey);
    if (!original) throw new UserError('gone', 'The original of this image has been deleted. Please upload it again.', 410);
    const result = await inference.render(original, {
      size: 'full',
      format: req.format,
      channels: 'rgba',
      ...(bg ? { bgColor: bg } : {}),
    });
    body = result.body;
    size = { width: result.width, height: result.height };
    await storage.put(resultKey, body);
  } catch (err) {
    const userErr = toUserError(err);
    if (holdId) {
      await release(db, { holdId, now: req.now });
      await recordUsage(db, {
        userId: req.userId, channel: 'web', kind: 'hd', units: 0,
        megapixels: (image.width * image.height) / 1e6, ok: false, errorCode: userErr.code,
      }).catch(() => {});
    }
    throw userErr;
  }

  if (paidByHoldId) {
    await markImageHd(db, { imageId: image.id, holdId: paidByHoldId, resultKey, ...size, format: req.format, now: req.now });
  }
  if (holdId) {
    await capture(db, { holdId, now: req.now });
    await markImageHd(db, { imageId: image.id, holdId, resultKey, ...size, format: req.format, now: req.now });
    await recordUsage(db, {
      userId: req.userId, channel: 'web', kind: 'hd', units,
      megapixels: (image.width * image.height) / 1e6, ok: true,
    });
  }
  return { charged: holdId !== null, body, contentType: CONTENT_TYPES[req.format], filename };
}

/**
 * Reserve the HD price for these bytes (keyed by content hash, so an identical upload is the same
 * image). Returns the new hold, or the captured one when its HD was already paid for (the replayed
 * key shows it). Throws a 402 UserError when short.
 */
async function takeHold(
  db: Db, userId: string, contentHash: string, units: number, now?: Date,
): Promise<{ id: string; status: 'held' | 'captured' }> {
  let key = hdHoldKey(contentHash);
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await reserve(db, { userId, units, key, now });
    if (!r.ok) {
      throw new UserError(
        'insufficient_credits',
        `You need ${formatCredits(unitsToCredits(units))} to download this image in HD, but your balance is ${formatCredits(unitsToCredits(r.available))}. Nothing was charged.`,
        402,
      );
    }
    if (r.hold.status === 'captured' || r.hold.status === 'held') return { id: r.hold.id, status: r.hold.status };
    // An earlier attempt failed and gave its hold back: this attempt needs a hold of its own.
    key = `${hdHoldKey(contentHash)}:${Date.now()}:${attempt}`;
  }
  throw new UserError('internal', 'Something went wrong while preparing the download. Please try again.', 500);
}

function normaliseHex(value: string): string {
  const hex = value.replace(/^#/, '').toLowerCase();
  if (!/^([0-9a-f]{3}|[0-9a-f]{6})$/.test(hex)) throw new UserError('invalid_bg_color', 'That background colour is not valid.');
  return hex;
}

function baseName(name: string | null): string {
  const base = (name ?? 'image').replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
  return base || 'image';
}
