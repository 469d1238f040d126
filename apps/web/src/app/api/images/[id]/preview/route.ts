import { getStorage } from '~/server/storage/index';
import { getInference } from '~/server/inference';
import { fileResponse, ownedImage } from '~/server/images/serve';
import { previewCacheable, renderPreview } from '~/server/images/preview';
import { readShadowQuery } from '~/server/images/shadow-query';
import { toAppError } from '~/server/errors/to-app-error';
import { errorResponse } from '~/server/http';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * The free preview (transparent PNG, ≤ 0.25 MP); `?shadow=drop&opacity=50` draws a shadow under it,
 * with the saved edit (`&edit=<revision>` names that edit, so the browser's cached copy is of it).
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { db, image } = await ownedImage((await ctx.params).id);
    const url = new URL(req.url);
    const shadow = readShadowQuery(url);
    const drawn = await renderPreview({ db, storage: getStorage(), inference: getInference() }, image, shadow);
    return fileResponse(drawn.body, 'image/png', { cache: previewCacheable(url, shadow, drawn) });
  } catch (err) {
    return errorResponse(toAppError(err));
  }
}
