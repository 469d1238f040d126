import { z } from 'zod';
import { getImage, listRecentImages, setImageConsent } from '@bgr/db/queries/images';
import { balance } from '@bgr/db/queries/ledger';
import { priceUnits, unitsToCredits } from '@bgr/credits';
import { createTRPCRouter, protectedProcedure } from '../trpc';
import { toImageView } from '../../images/view';
import { downloadHd, HD_FORMATS, hdFormatsFor, isHdPaid } from '../../images/hd';
import { getEdit, resetEdit, saveEdit } from '../../images/edits';
import { getStorage } from '../../storage/index';
import { getInference } from '../../inference';
import { AppError } from '../../errors/app-error';
import { parseShadowChoice, WEB_SHADOW_TYPES } from '../../../lib/shadow';

const imageId = z.object({ id: z.uuid() });
const editTarget = z.object({ imageId: z.uuid() });

async function ownImage(ctx: { db: Parameters<typeof getImage>[0]; user: { id: string } }, id: string) {
  const image = await getImage(ctx.db, id);
  if (!image || image.userId !== ctx.user.id) {
    throw new AppError('not_found', 'That image does not exist or has been deleted.', 404);
  }
  return image;
}

export const imagesRouter = createTRPCRouter({
  recent: protectedProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(50).default(12),
          /** true: leave out images of bulk uploads (the page lists those as batches). */
          singles: z.boolean().default(false),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const rows = await listRecentImages(ctx.db, ctx.user.id, input?.limit ?? 12, {
        excludeBatched: input?.singles ?? false,
      });
      return rows.map(toImageView);
    }),

  get: protectedProcedure.input(imageId).query(async ({ ctx, input }) => toImageView(await ownImage(ctx, input.id))),

  /** Allow or refuse use of this image for quality improvements (default: refused). */
  setConsent: protectedProcedure.input(imageId.extend({ allow: z.boolean() })).mutation(async ({ ctx, input }) => {
    await ownImage(ctx, input.id);
    await setImageConsent(ctx.db, { imageId: input.id, userId: ctx.user.id, consentImprove: input.allow });
    return { id: input.id, consentImprove: input.allow };
  }),

  /** The person's erase/restore strokes on this image: the document, its revision, when saved (nulls: none). */
  getEdit: protectedProcedure.input(editTarget).query(({ ctx, input }) => getEdit(ctx.db, ctx.user.id, input.imageId)),

  /**
   * Stores the strokes (an @bgr/strokes EditDocument, replacing any before; no strokes = reset). Free.
   * Over a cap or malformed: BAD_REQUEST with a sentence, nothing stored.
   */
  saveEdit: protectedProcedure
    .input(editTarget.extend({ document: z.unknown() }))
    .mutation(({ ctx, input }) => saveEdit(ctx.db, ctx.user.id, input.imageId, input.document)),

  /** "Reset to automatic": forgets the strokes; HD renders the model's cut-out again. */
  resetEdit: protectedProcedure
    .input(editTarget)
    .mutation(({ ctx, input }) => resetEdit(ctx.db, ctx.user.id, input.imageId)),

  /** What the "Download HD" dialog shows before anything is charged. */
  hdQuote: protectedProcedure.input(imageId).query(async ({ ctx, input }) => {
    const image = await ownImage(ctx, input.id);
    const b = await balance(ctx.db, { userId: ctx.user.id });
    const paid = await isHdPaid(ctx.db, image);
    const units = priceUnits('web', 'hd');
    return {
      paid,
      costUnits: paid ? 0 : units,
      costCredits: paid ? 0 : unitsToCredits(units),
      balanceUnits: b.totalUnits,
      balanceCredits: unitsToCredits(b.totalUnits),
      formats: hdFormatsFor(image.width, image.height),
      width: image.width,
      height: image.height,
    };
  }),

  /**
   * Charges (once per image) and prepares the HD result; the browser then fetches it from
   * /api/images/<id>/hd, which never charges.
   */
  hd: protectedProcedure
    .input(
      imageId.extend({
        format: z.enum(HD_FORMATS),
        bgColor: z
          .string()
          .regex(/^#?[0-9a-fA-F]{3,6}$/)
          .optional(),
        shadowType: z.enum(WEB_SHADOW_TYPES).optional(),
        shadowOpacity: z.number().int().min(0).max(100).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const shadow = parseShadowChoice(input.shadowType, input.shadowOpacity?.toString());
      const result = await downloadHd(
        { db: ctx.db, storage: getStorage(), inference: getInference() },
        { userId: ctx.user.id, imageId: input.id, format: input.format, bgColor: input.bgColor, shadow },
      );
      const b = await balance(ctx.db, { userId: ctx.user.id });
      const query = new URLSearchParams({ format: input.format });
      if (input.bgColor) query.set('bg', input.bgColor.replace(/^#/, ''));
      if (shadow) {
        query.set('shadow', shadow.type);
        query.set('opacity', String(shadow.opacity));
      }
      return {
        charged: result.charged,
        chargedCredits: result.charged ? unitsToCredits(priceUnits('web', 'hd')) : 0,
        balanceCredits: unitsToCredits(b.totalUnits),
        filename: result.filename,
        downloadUrl: `/api/images/${input.id}/hd?${query}`,
      };
    }),
});
