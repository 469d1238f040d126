/**
 * Bulk upload in the browser: what "Download all in HD" will cost before anything is charged
 * (the ZIP itself is a streamed route, /api/batches/download), and the user's recent batches,
 * shown as groups that download again for free.
 */
import { z } from 'zod';
import { listRecentBatches } from '@bgr/db/queries/images';
import { isHdPaid } from '../../images/hd';
import { toImageView } from '../../images/view';
import { quoteBatch } from '../../batch/quote';
import { createTRPCRouter, protectedProcedure } from '../trpc';

// Generous bound for parsing; the 50-image cap is checked with its own sentence.
const imageIds = z.object({ imageIds: z.array(z.uuid()).max(500) });

export const batchesRouter = createTRPCRouter({
  /** The total price (images already paid for are free) and the balance, for the confirm dialog. */
  quote: protectedProcedure.input(imageIds).query(async ({ ctx, input }) => {
    const q = await quoteBatch(ctx.db, ctx.user.id, input.imageIds);
    return {
      count: q.items.length,
      payCount: q.payCount,
      freeCount: q.freeCount,
      costUnits: q.costUnits,
      costCredits: q.costCredits,
      balanceUnits: q.balanceUnits,
      balanceCredits: q.balanceCredits,
      files: q.items.map((it) => ({ id: it.image.id, filename: it.filename, format: it.format, paid: it.paid })),
    };
  }),

  recent: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(20).default(5) }).optional())
    .query(async ({ ctx, input }) => {
      const batches = await listRecentBatches(ctx.db, ctx.user.id, input?.limit ?? 5);
      const out = [];
      for (const b of batches) {
        const images = [];
        for (const row of b.images) images.push({ ...toImageView(row), hdPaid: await isHdPaid(ctx.db, row) });
        out.push({ batchId: b.batchId, createdAt: b.createdAt, images });
      }
      return out;
    }),
});
