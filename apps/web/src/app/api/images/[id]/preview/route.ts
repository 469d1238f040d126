import { getStorage, storageKeys } from '~/server/storage/index';
import { fileResponse, ownedImage } from '~/server/images/serve';
import { AppError } from '~/server/errors/app-error';
import { toAppError } from '~/server/errors/to-app-error';
import { errorResponse } from '~/server/http';

export const dynamic = 'force-dynamic';

/** The free preview (transparent PNG, ≤ 0.25 MP). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { image } = await ownedImage((await ctx.params).id);
    const body = await getStorage().get(storageKeys.preview(image.storageKey));
    if (!body) throw new AppError('gone', 'This preview has been deleted.', 404);
    return fileResponse(body, 'image/png');
  } catch (err) {
    return errorResponse(toAppError(err));
  }
}
