/** Shared by the GET routes that hand out an image's files: ownership first, then bytes. */
import { getDb } from '@bgr/db/client';
import { getImage } from '@bgr/db/queries/images';
import { currentUser } from '../session-user';
import { AppError } from '../errors/app-error';

export async function ownedImage(id: string) {
  const user = await currentUser();
  if (!user) throw new AppError('unauthorized', 'Please sign in to continue.', 401);
  if (!/^[0-9a-f-]{36}$/i.test(id))
    throw new AppError('not_found', 'That image does not exist or has been deleted.', 404);
  const db = await getDb();
  const image = await getImage(db, id);
  if (!image || image.userId !== user.id)
    throw new AppError('not_found', 'That image does not exist or has been deleted.', 404);
  return { db, user, image };
}

export function fileResponse(
  body: Uint8Array,
  contentType: string,
  opts: { filename?: string; download?: boolean; cache?: boolean } = {},
): Response {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(body.byteLength),
    // Private to the signed-in user; the bytes of an id never change (`cache: false`: these bytes
    // may, so they are not kept).
    'cache-control': opts.cache === false ? 'private, no-store' : 'private, max-age=3600',
    'x-content-type-options': 'nosniff',
  };
  if (opts.filename) {
    const ascii = opts.filename.replace(/[^\x20-\x7e]|"/g, '_');
    headers['content-disposition'] =
      `${opts.download ? 'attachment' : 'inline'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(opts.filename)}`;
  }
  return new Response(body as unknown as BodyInit, { status: 200, headers });
}
