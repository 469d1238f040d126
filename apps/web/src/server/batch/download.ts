/**
 * "Download all in HD": one ZIP of a batch's full-size cut-outs. Everything that can refuse the
 * request is checked before any render and before the first byte: at most 50 images, every id the
 * user's own, a balance that covers the images not yet paid for, and the per-user HD render limit
 * (every image in the ZIP counts, as for single downloads). Then each image goes through
 * downloadHd — the single-image path, so each is charged through withCharge under its own
 * `hd:<content hash>` key (already paid: free) — with at most BATCH_RENDER_CONCURRENCY renders
 * at once, streamed into the ZIP as the download asks for them. An image that fails is released
 * by withCharge, left out, and listed with its reason in `failed.txt`; the rest still download.
 * The same picture uploaded twice is one charge key: its second image waits for the first one's
 * render (and charge) to end, then comes free — run side by side, the second would find the first
 * one's charge still open and be left out.
 */
import { AppError } from '../errors/app-error';
import { toAppError } from '../errors/to-app-error';
import { downloadHd, type HdDeps } from '../images/hd';
import { takeWebQuota } from '../web-quota';
import { zipStream } from '../zip/zip-stream';
import { FAILED_ENTRY } from '../../lib/batch';
import { formatCredits } from '@bgr/credits';
import { quoteBatch } from './quote';

/** Full-size renders of one ZIP in flight at once. */
export const BATCH_RENDER_CONCURRENCY = 3;

export type BatchDownload = { count: number; costUnits: number; body: ReadableStream<Uint8Array> };

export async function startBatchDownload(
  deps: HdDeps,
  req: { userId: string; imageIds: string[]; now?: Date },
): Promise<BatchDownload> {
  const quote = await quoteBatch(deps.db, req.userId, req.imageIds);
  if (quote.balanceUnits < quote.costUnits) {
    throw new AppError(
      'insufficient_credits',
      `You need ${formatCredits(quote.costCredits)} to download these images in HD, but your balance is ${formatCredits(quote.balanceCredits)}. Nothing was charged.`,
      402,
    );
  }
  await takeWebQuota(deps.db, req.userId, 'hd', quote.items.length, req.now);

  const reasons = new Map<string, string>();
  // Reads start in the ZIP's order, so a picture's first image has started before its later ones wait on it.
  const firstOfPicture = new Map<string, Promise<unknown>>();
  const body = zipStream(
    quote.items.map((item) => ({
      name: item.filename,
      read: async () => {
        const earlier = firstOfPicture.get(item.image.contentHash);
        let done!: () => void;
        if (!earlier) firstOfPicture.set(item.image.contentHash, new Promise<void>((resolve) => (done = resolve)));
        else await earlier;
        try {
          const result = await downloadHd(deps, {
            userId: req.userId,
            imageId: item.image.id,
            format: item.format,
            quotaTaken: true,
            ...(req.now ? { now: req.now } : {}),
          });
          return new Uint8Array(result.body);
        } catch (err) {
          const userErr = toAppError(err);
          if (userErr.status >= 500) console.error('[batch-hd]', err);
          reasons.set(item.filename, `${item.image.originalName}: ${userErr.message}`);
          return null;
        } finally {
          done?.();
        }
      },
    })),
    {
      name: FAILED_ENTRY,
      text: (missing) =>
        missing.size === 0
          ? null
          : `${[...missing].map((name) => reasons.get(name) ?? `${name}: The image could not be prepared.`).join('\n')}\n`,
    },
    { concurrency: BATCH_RENDER_CONCURRENCY },
  );
  return { count: quote.items.length, costUnits: quote.costUnits, body };
}
