import { getStorage } from '~/server/storage/index';
import { fileResponse, ownedImage } from '~/server/images/serve';
import { AppError } from '~/server/errors/app-error';
import { toAppError } from '~/server/errors/to-app-error';
import { errorResponse } from '~/server/http';

export const dynamic = 'force-dynamic';

const TYPES: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

function sniff(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return TYPES.jpeg!;
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return TYPES.png!;
  if (bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return TYPES.webp!;
  return 'application/octet-stream';
}

/** The uploaded original, for the "before" side of the viewer. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { image } = await ownedImage((await ctx.params).id);
    const body = await getStorage().get(image.storageKey);
    if (!body) throw new AppError('gone', 'The original of this image has been deleted.', 404);
    return fileResponse(body, sniff(body));
  } catch (err) {
    return errorResponse(toAppError(err));
  }
}
