/**
 * The free preview, plain or with a shadow. The plain one was rendered at upload and stored; a
 * shadow preview is rendered on request (0.25 MP; the service reuses the mask it cached for the
 * upload, so it is a fraction of a model run) and not stored — the browser keeps it (the response
 * is cacheable), and an opacity slider would otherwise leave dozens of files per image. It costs
 * nothing and writes no ledger entry; each render counts against the per-user preview limit.
 */
import type { Db } from '@bgr/db/client';
import type { InferenceClient } from '@bgr/inference-client';
import type { BlobStorage } from '../storage/types';
import { storageKeys } from '../storage/index';
import { AppError } from '../errors/app-error';
import { takeWebQuota } from '../web-quota';
import type { ShadowChoice } from '../../lib/shadow';

export type PreviewDeps = { db: Db; storage: BlobStorage; inference: InferenceClient };

export async function previewBytes(
  deps: PreviewDeps,
  image: { userId: string; storageKey: string },
  shadow: ShadowChoice | null,
): Promise<Uint8Array> {
  const { storage } = deps;
  if (!shadow) {
    const body = await storage.get(storageKeys.preview(image.storageKey));
    if (!body) throw new AppError('gone', 'This preview has been deleted.', 404);
    return body;
  }
  await takeWebQuota(deps.db, image.userId, 'preview');
  const original = await storage.get(image.storageKey);
  if (!original)
    throw new AppError('gone', 'The original of this image has been deleted. Please upload it again.', 410);
  const result = await deps.inference.render(original, {
    size: 'preview',
    format: 'png',
    channels: 'rgba',
    shadowType: shadow.type,
    shadowOpacity: shadow.opacity,
  });
  return result.body;
}
