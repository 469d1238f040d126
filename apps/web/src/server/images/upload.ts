/**
 * POST /api/images as a framework-independent function: upload an image (multipart field `file`)
 * or give a URL (JSON `{ "url": … }` or multipart field `url`), get it stored and previewed.
 * The route file and the tests' plain Node server both call it. The body is read through
 * body-limit (23 MB, counted while it streams), never through `request.formData()`.
 * Errors: `{ error: { code, message } }` with a sentence in `message`.
 */
import { MAX_UPLOAD_BYTES } from '@bgr/inference-client/options';
import { abandonBody, BODY_LIMITS, BodyTooLargeError, readLimitedBody, readLimitedFormData } from '../body-limit';
import { fetchImageUrl } from '../fetch-url';
import { errorResponse } from '../http';
import { AppError } from '../errors/app-error';
import { toAppError } from '../errors/to-app-error';
import { takeWebQuota } from '../web-quota';
import { ingestImage, type IngestDeps } from './ingest';
import { MAX_BATCH_IMAGES } from '~/lib/batch';
import { FILE_TOO_LARGE_SENTENCE } from '~/lib/upload-limit';

export type UploadDeps = IngestDeps & {
  /** The signed-in user, or null. */
  currentUser(): Promise<{ id: string } | null>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A file's place in a batch: 0 to MAX_BATCH_IMAGES − 1, in plain digits. */
const isBatchPosition = (raw: string) => /^\d{1,3}$/.test(raw) && Number(raw) < MAX_BATCH_IMAGES;

export async function handleUpload(req: Request, deps: UploadDeps): Promise<Response> {
  const user = await deps.currentUser();
  if (!user) {
    abandonBody(req);
    return errorResponse(new AppError('unauthorized', 'Please sign in to continue.', 401));
  }
  try {
    // Counted before the body is read: 60 uploads a minute per user (web-quota.ts).
    await takeWebQuota(deps.db, user.id, 'upload');
    const { bytes, name, batchId, batchPosition } = await readSource(req);
    const image = await ingestImage(deps, { userId: user.id, bytes, originalName: name, batchId, batchPosition });
    return Response.json({ image }, { status: 201 });
  } catch (err) {
    const userErr =
      err instanceof BodyTooLargeError ? new AppError('file_too_large', FILE_TOO_LARGE_SENTENCE, 413) : toAppError(err);
    if (userErr.status >= 500) console.error('[upload]', err);
    return errorResponse(userErr);
  }
}

type Source = { bytes: Uint8Array; name: string; batchId?: string; batchPosition?: number };

async function readSource(req: Request): Promise<Source> {
  const type = req.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const raw = await readLimitedBody(req, BODY_LIMITS.upload);
    let body: { url?: unknown } | null = null;
    try {
      body = JSON.parse(Buffer.from(raw).toString('utf8')) as { url?: unknown } | null;
    } catch {
      /* not JSON: treated as no address below */
    }
    return fromUrl(typeof body?.url === 'string' ? body.url : '');
  }
  if (!type.includes('multipart/form-data')) {
    abandonBody(req);
    throw new AppError('missing_source', 'Please choose an image first.');
  }
  let form: FormData;
  try {
    form = await readLimitedFormData(req, BODY_LIMITS.upload);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw err;
    throw new AppError('missing_source', 'The upload could not be read. Please choose the image again.');
  }
  // Bulk upload: files dropped together carry the same batch id (a UUID the browser made), and
  // each its place among them (uploads finish in any order; the batch lists them as chosen).
  const batchId = form.get('batchId');
  const batchPosition = form.get('batchPosition');
  if (
    (batchId !== null && (typeof batchId !== 'string' || !UUID.test(batchId))) ||
    (batchPosition !== null && (typeof batchPosition !== 'string' || !isBatchPosition(batchPosition)))
  ) {
    throw new AppError('invalid_batch', 'The upload could not be added to its batch. Please drop the images again.');
  }
  const file = form.get('file');
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_UPLOAD_BYTES) throw new AppError('file_too_large', FILE_TOO_LARGE_SENTENCE, 413);
    return {
      bytes: new Uint8Array(await file.arrayBuffer()),
      name: file.name || 'image',
      ...(batchId ? { batchId: batchId.toLowerCase() } : {}),
      ...(batchId && batchPosition !== null ? { batchPosition: Number(batchPosition) } : {}),
    };
  }
  const url = form.get('url');
  return fromUrl(typeof url === 'string' ? url : '');
}

async function fromUrl(raw: string): Promise<{ bytes: Uint8Array; name: string }> {
  const url = raw.trim();
  if (!url) throw new AppError('missing_source', 'Please choose an image or enter its web address.');
  const fetched = await fetchImageUrl(url, { maxBytes: MAX_UPLOAD_BYTES, timeoutMs: 20_000 });
  let name = 'image';
  try {
    name = decodeURIComponent(new URL(fetched.finalUrl).pathname.split('/').pop() || '') || 'image';
  } catch {
    /* keep the default name */
  }
  return { bytes: new Uint8Array(fetched.bytes), name };
}
