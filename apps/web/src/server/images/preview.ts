/**
 * The free preview, plain or with a shadow. The plain one was rendered at upload and stored; a
 * shadow preview is rendered on request (0.25 MP; the service reuses the mask it cached for the
 * upload, so it is a fraction of a model run) and not stored — the browser keeps it (the response
 * is cacheable), and an opacity slider would otherwise leave dozens of files per image. It costs
 * nothing and writes no ledger entry; each render counts against the per-user preview limit.
 *
 * A shadow preview shows the person's saved erase/restore strokes (./edits.ts), as the HD download
 * does: the stored edit goes to the renderer with the original. The plain preview stays the model's
 * own cut-out (the browser paints the strokes over it). Because the shadow preview depends on the
 * edit, the browser may keep one only under a URL that names the edit's revision it shows
 * (`edit=<revision>`, absent when there is no edit): any other answer is not stored, so a changed
 * edit is never answered from the browser's cache.
 */
import type { Db } from '@bgr/db/client';
import type { InferenceClient } from '@bgr/inference-client';
import type { BlobStorage } from '../storage/types';
import { storageKeys } from '../storage/index';
import { AppError } from '../errors/app-error';
import { takeWebQuota } from '../web-quota';
import { editForRender } from './edits';
import type { ShadowChoice } from '../../lib/shadow';

export type PreviewDeps = { db: Db; storage: BlobStorage; inference: InferenceClient };
type PreviewImage = { id: string; userId: string; storageKey: string };

/** The preview's bytes and the revision of the saved edit drawn into them (null: none was). */
export type PreviewResult = { body: Uint8Array; editRevision: string | null };

export async function renderPreview(
  deps: PreviewDeps,
  image: PreviewImage,
  shadow: ShadowChoice | null,
): Promise<PreviewResult> {
  const { storage } = deps;
  if (!shadow) {
    const body = await storage.get(storageKeys.preview(image.storageKey));
    if (!body) throw new AppError('gone', 'This preview has been deleted.', 404);
    return { body, editRevision: null };
  }
  await takeWebQuota(deps.db, image.userId, 'preview');
  const original = await storage.get(image.storageKey);
  if (!original)
    throw new AppError('gone', 'The original of this image has been deleted. Please upload it again.', 410);
  const edit = await editForRender(deps.db, image);
  const result = await deps.inference.render(
    original,
    {
      size: 'preview',
      format: 'png',
      channels: 'rgba',
      shadowType: shadow.type,
      shadowOpacity: shadow.opacity,
    },
    edit ? { edit: edit.document } : {},
  );
  return { body: result.body, editRevision: edit?.revision ?? null };
}

export async function previewBytes(
  deps: PreviewDeps,
  image: PreviewImage,
  shadow: ShadowChoice | null,
): Promise<Uint8Array> {
  return (await renderPreview(deps, image, shadow)).body;
}

/**
 * Whether the browser may keep this answer: a plain preview always (its bytes never change); a
 * shadow preview only when the URL's `edit` names the revision drawn (both absent when unedited).
 */
export function previewCacheable(url: URL, shadow: ShadowChoice | null, drawn: PreviewResult): boolean {
  if (!shadow) return true;
  return (url.searchParams.get('edit') || null) === drawn.editRevision;
}
