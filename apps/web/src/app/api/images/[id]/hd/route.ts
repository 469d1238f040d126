import { getStorage } from '~/server/storage/index';
import { getInference } from '~/server/inference';
import { downloadHd, HD_FORMATS, type HdFormat } from '~/server/images/hd';
import { fileResponse, ownedImage } from '~/server/images/serve';
import { AppError } from '~/server/errors/app-error';
import { toAppError } from '~/server/errors/to-app-error';
import { errorResponse } from '~/server/http';
import { readShadowQuery } from '~/server/images/shadow-query';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * The HD file of an image already paid for (the `images.hd` mutation charges). A GET never
 * charges: it answers 402 for an image whose HD has not been bought.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { db, user, image } = await ownedImage((await ctx.params).id);
    const url = new URL(req.url);
    const format = (url.searchParams.get('format') ?? 'png') as HdFormat;
    if (!HD_FORMATS.includes(format)) throw new AppError('invalid_format', 'Please choose PNG, WebP or ZIP.');
    const bg = url.searchParams.get('bg') ?? undefined;
    const shadow = readShadowQuery(url);
    const result = await downloadHd(
      { db, storage: getStorage(), inference: getInference() },
      { userId: user.id, imageId: image.id, format, bgColor: bg, shadow, allowCharge: false },
    );
    return fileResponse(result.body, result.contentType, { filename: result.filename, download: true });
  } catch (err) {
    return errorResponse(toAppError(err));
  }
}
