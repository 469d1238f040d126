/**
 * POST /api/images — upload an image (multipart field `file`) or give a URL (JSON `{ "url": … }`
 * or multipart field `url`), get it stored and previewed. Answers the image as JSON.
 * Errors: `{ error: { code, message } }` with a sentence in `message`.
 */
import { MAX_UPLOAD_BYTES } from '@bgr/inference/options';
import { getDb } from '@bgr/db/client';
import { currentUser } from '~/server/session-user';
import { ingestImage } from '~/server/images/ingest';
import { getStorage } from '~/server/storage/index';
import { getInference } from '~/server/inference';
import { fetchImageUrl } from '~/server/fetch-url';
import { UserError, toUserError } from '~/server/user-error';
import { errorResponse } from '~/server/http';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// Multipart framing around a 22 MB file is a few hundred bytes; allow generous headroom.
const MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024;

export async function POST(req: Request) {
  const user = await currentUser();
  if (!user) return errorResponse(new UserError('unauthorized', 'Please sign in to continue.', 401));

  try {
    const declared = Number(req.headers.get('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) throw new UserError('file_too_large', 'That file is larger than 22 MB. Please choose a smaller image.', 413);

    const { bytes, name } = await readSource(req);
    const image = await ingestImage(
      { db: await getDb(), storage: getStorage(), inference: getInference() },
      { userId: user.id, bytes, originalName: name },
    );
    return Response.json({ image }, { status: 201 });
  } catch (err) {
    const userErr = toUserError(err);
    if (userErr.status >= 500) console.error('[upload]', err);
    return errorResponse(userErr);
  }
}

async function readSource(req: Request): Promise<{ bytes: Uint8Array; name: string }> {
  const type = req.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const body = (await req.json().catch(() => null)) as { url?: unknown } | null;
    return fromUrl(typeof body?.url === 'string' ? body.url : '');
  }
  if (!type.includes('multipart/form-data')) throw new UserError('missing_source', 'Please choose an image first.');
  const form = await req.formData();
  const file = form.get('file');
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_UPLOAD_BYTES) throw new UserError('file_too_large', 'That file is larger than 22 MB. Please choose a smaller image.', 413);
    return { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name || 'image' };
  }
  const url = form.get('url');
  return fromUrl(typeof url === 'string' ? url : '');
}

async function fromUrl(raw: string): Promise<{ bytes: Uint8Array; name: string }> {
  const url = raw.trim();
  if (!url) throw new UserError('missing_source', 'Please choose an image or enter its web address.');
  const fetched = await fetchImageUrl(url, { maxBytes: MAX_UPLOAD_BYTES, timeoutMs: 20_000 });
  let name = 'image';
  try {
    name = decodeURIComponent(new URL(fetched.finalUrl).pathname.split('/').pop() || '') || 'image';
  } catch {
    /* keep the default name */
  }
  return { bytes: new Uint8Array(fetched.bytes), name };
}
