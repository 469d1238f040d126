/**
 * Upload → stored original → image row → free preview.
 * The preview is the model's cut-out at ≤ 0.25 MP; it costs nothing and writes no ledger entry,
 * only a usage event with 0 units so dashboards can count previews.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '@bgr/db/client';
import { countBatchImages, createImage, deleteImage } from '@bgr/db/queries/images';
import { recordUsage } from '@bgr/db/queries/usage';
import type { InferenceClient } from '@bgr/inference-client';
import { MAX_UPLOAD_BYTES } from '@bgr/inference-client/options';
import { priceUnits } from '@bgr/credits';
import type { BlobStorage } from '../storage/types';
import { storageKeys } from '../storage/index';
import { AppError } from '../errors/app-error';
import { toAppError } from '../errors/to-app-error';
import { toImageView, type ImageView } from './view';
import { MAX_BATCH_IMAGES } from '../../lib/batch';
import { FILE_TOO_LARGE_SENTENCE } from '~/lib/upload-limit';

export type IngestDeps = { db: Db; storage: BlobStorage; inference: InferenceClient };

export async function ingestImage(
  deps: IngestDeps,
  input: {
    userId: string;
    bytes: Uint8Array;
    originalName: string;
    batchId?: string;
    /** Where the file stood among those chosen for the batch (0 = first); by default after the ones there. */
    batchPosition?: number;
  },
): Promise<ImageView> {
  const { db, storage, inference } = deps;
  const { userId, bytes } = input;
  if (bytes.byteLength === 0) throw new AppError('missing_source', 'Please choose an image first.');
  if (bytes.byteLength > MAX_UPLOAD_BYTES) {
    throw new AppError('file_too_large', FILE_TOO_LARGE_SENTENCE, 413);
  }

  const inBatch = input.batchId ? await countBatchImages(db, { userId, batchId: input.batchId }) : 0;
  if (input.batchId && inBatch >= MAX_BATCH_IMAGES) {
    throw new AppError(
      'too_many_images',
      `A batch holds at most ${MAX_BATCH_IMAGES} images. Please start a new batch for the rest.`,
    );
  }

  let header: { format: string; width: number; height: number };
  try {
    // Header only: type, dimensions and the 50 MP limit, checked before anything decodes pixels.
    header = await inference.probe(bytes);
  } catch (err) {
    throw toAppError(err);
  }

  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const originalKey = storageKeys.original(storageKeys.newFolder(userId, randomUUID()));
  await storage.put(originalKey, bytes);

  const image = await createImage(db, {
    userId,
    contentHash,
    originalName: cleanName(input.originalName),
    width: header.width,
    height: header.height,
    bytes: bytes.byteLength,
    storageKey: originalKey,
    consentImprove: false,
    source: 'web',
    batchId: input.batchId ?? null,
    batchPosition: input.batchId ? (input.batchPosition ?? inBatch) : null,
  });

  const megapixels = (header.width * header.height) / 1e6;
  try {
    const preview = await inference.render(bytes, { size: 'preview', format: 'png', channels: 'rgba' });
    await storage.put(storageKeys.preview(originalKey), preview.body);
    await recordUsage(db, {
      userId,
      channel: 'web',
      kind: 'preview',
      units: priceUnits('web', 'preview'),
      megapixels,
      ok: true,
    });
  } catch (err) {
    const userErr = toAppError(err);
    await recordUsage(db, {
      userId,
      channel: 'web',
      kind: 'preview',
      units: 0,
      megapixels,
      ok: false,
      errorCode: userErr.code,
    }).catch(() => {});
    // The person is told the upload failed, so nothing of it is kept: no row without a preview in
    // the recent list (or in a batch and its ZIP), no orphaned original.
    await deleteImage(db, image.id).catch(() => {});
    await storage.delete(originalKey).catch(() => {});
    throw userErr;
  }
  return toImageView(image);
}

/** A display name without path parts or control characters. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'image';
}
