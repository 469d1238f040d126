/**
 * Copies every object from one storage to another (`npm run -s admin -- storage copy --from URL
 * --to URL`), e.g. the local folder into S3 when a deployment grows past one machine. Streams
 * each object (large results are never held whole); an object already at the destination with
 * the same size is skipped, so an interrupted copy can simply be run again. The source is left
 * as it is: delete it once the web app runs on the new STORAGE_URL.
 */
import type { BlobStorage } from './types';

export interface CopyResult {
  /** Objects found at the source. */
  total: number;
  copied: number;
  /** Already at the destination with the same size. */
  skipped: number;
  /** Bytes written to the destination. */
  bytes: number;
}

export type CopyProgress = (event: { key: string; action: 'copied' | 'skipped'; size: number }) => void;

export async function copyStorage(
  from: BlobStorage,
  to: BlobStorage,
  opts: { prefix?: string; onProgress?: CopyProgress } = {},
): Promise<CopyResult> {
  const result: CopyResult = { total: 0, copied: 0, skipped: 0, bytes: 0 };
  for await (const key of from.list(opts.prefix)) {
    result.total++;
    const source = await from.head(key);
    if (!source) continue; // deleted since it was listed (retention runs meanwhile)
    const there = await to.head(key);
    if (there && there.size === source.size) {
      result.skipped++;
      opts.onProgress?.({ key, action: 'skipped', size: source.size });
      continue;
    }
    const body = await from.stream(key);
    if (!body) continue;
    await to.put(key, body);
    result.copied++;
    result.bytes += source.size;
    opts.onProgress?.({ key, action: 'copied', size: source.size });
  }
  return result;
}
