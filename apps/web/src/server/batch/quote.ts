/**
 * "Download all in HD", before anything is charged: which of the chosen images are the user's,
 * what each will come as (PNG, or WebP above 10 MP), which are already paid for (free again),
 * and the total price against the balance. The same picture chosen twice (uploaded twice: two
 * images, one content) is charged once, as downloadHd charges it (`hd:<content hash>`). Also the checks every batch request makes first: at
 * most MAX_BATCH_IMAGES images, every id the user's own.
 */
import type { Db } from '@bgr/db/client';
import { listOwnImages } from '@bgr/db/queries/images';
import { balance } from '@bgr/db/queries/ledger';
import type { Image } from '@bgr/db/schema';
import { priceUnits, unitsToCredits } from '@bgr/credits';
import { MAX_BATCH_IMAGES } from '../../lib/batch';
import { AppError } from '../errors/app-error';
import { type HdFormat, hdFilename, hdFormatsFor, isHdPaid } from '../images/hd';

export type BatchItem = { image: Image; format: HdFormat; filename: string; paid: boolean };

export type BatchQuote = {
  items: BatchItem[];
  /** Images to be charged now (one per picture: a second upload of the same picture is not charged again). */
  payCount: number;
  /** Images already paid for, or the same picture as one charged in this download: free. */
  freeCount: number;
  costUnits: number;
  costCredits: number;
  balanceUnits: number;
  balanceCredits: number;
};

/** PNG when the image fits remove.bg's 10 MP PNG limit, WebP above it. */
export function batchFormat(width: number, height: number): HdFormat {
  return hdFormatsFor(width, height).includes('png') ? 'png' : 'webp';
}

/** The user's images for these ids, in the given order; refuses an empty, oversized or foreign list. */
export async function ownBatchImages(db: Db, userId: string, ids: string[]): Promise<Image[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw new AppError('missing_source', 'Please choose at least one image.');
  if (unique.length > MAX_BATCH_IMAGES) {
    throw new AppError(
      'too_many_images',
      `You can download up to ${MAX_BATCH_IMAGES} images at once; you chose ${unique.length}.`,
    );
  }
  const rows = await listOwnImages(db, userId, unique);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = unique.filter((id) => !byId.has(id)).length;
  if (missing > 0) {
    throw new AppError(
      'not_found',
      missing === 1
        ? 'One of these images does not exist or has been deleted. Nothing was charged.'
        : `${missing} of these images do not exist or have been deleted. Nothing was charged.`,
      404,
    );
  }
  return unique.map((id) => byId.get(id)!);
}

/** Unique names inside one ZIP: a second `photo-no-bg.png` becomes `photo-no-bg-2.png`. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : name.replace(/(\.[a-z]+)$/, `-${n}$1`);
  });
}

export async function quoteBatch(db: Db, userId: string, ids: string[]): Promise<BatchQuote> {
  const images = await ownBatchImages(db, userId, ids);
  const names = uniqueNames(images.map((img) => hdFilename(img.originalName, batchFormat(img.width, img.height))));
  const items: BatchItem[] = [];
  for (const [i, image] of images.entries()) {
    items.push({
      image,
      format: batchFormat(image.width, image.height),
      filename: names[i]!,
      paid: await isHdPaid(db, image),
    });
  }
  const payCount = new Set(items.filter((it) => !it.paid).map((it) => it.image.contentHash)).size;
  const costUnits = payCount * priceUnits('web', 'hd');
  const b = await balance(db, { userId });
  return {
    items,
    payCount,
    freeCount: items.length - payCount,
    costUnits,
    costCredits: unitsToCredits(costUnits),
    balanceUnits: b.totalUnits,
    balanceCredits: unitsToCredits(b.totalUnits),
  };
}
