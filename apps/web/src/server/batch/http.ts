/**
 * POST /api/batches/download as a framework-independent function: JSON `{ "imageIds": [...] }`
 * in, one streamed ZIP out (download.ts). Refusals come before the first byte as
 * `{ error: { code, message } }` with a sentence (429 with Retry-After: the browser waits and
 * asks again); failures of single images after that are listed in the ZIP's failed.txt.
 */
import { z } from 'zod';
import { abandonBody, BODY_LIMITS, BodyTooLargeError, readLimitedBody } from '../body-limit';
import { AppError } from '../errors/app-error';
import { toAppError } from '../errors/to-app-error';
import { errorResponse } from '../http';
import type { HdDeps } from '../images/hd';
import { startBatchDownload } from './download';

export type BatchDownloadDeps = HdDeps & { currentUser(): Promise<{ id: string } | null> };

// Generous bound for parsing; the 50-image cap is checked with its own sentence.
const body = z.object({ imageIds: z.array(z.uuid()).max(500) });

export async function handleBatchDownload(req: Request, deps: BatchDownloadDeps): Promise<Response> {
  const user = await deps.currentUser();
  if (!user) {
    abandonBody(req);
    return errorResponse(new AppError('unauthorized', 'Please sign in to continue.', 401));
  }
  try {
    const input = body.safeParse(await readJson(req));
    if (!input.success) throw new AppError('invalid_request', 'Please choose the images to download.');
    const { count, body: zip } = await startBatchDownload(deps, { userId: user.id, imageIds: input.data.imageIds });
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(zip, {
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="no-bg-${count}-images-${stamp}.zip"`,
        'cache-control': 'no-store',
        'x-batch-images': String(count),
      },
    });
  } catch (err) {
    const userErr =
      err instanceof BodyTooLargeError
        ? new AppError('invalid_request', 'That request is too large.', 413)
        : toAppError(err);
    if (userErr.status >= 500) console.error('[batch-download]', err);
    return errorResponse(userErr);
  }
}

async function readJson(req: Request): Promise<unknown> {
  const raw = await readLimitedBody(req, BODY_LIMITS.trpc);
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    return null;
  }
}
