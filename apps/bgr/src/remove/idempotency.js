// The Idempotency-Key of one file's request: a hash of the image's bytes and every option that
// changes the result. A retry, or a later run over the same folder, sends the same key, and the
// server replays a captured call for free instead of charging it again.
import { createHash } from 'node:crypto';

/**
 * @param {Uint8Array} image
 * @param {[string, string][]} fields
 * @param {Uint8Array | undefined} background
 */
export function idempotencyKey(image, fields, background) {
  const hash = createHash('sha256');
  hash.update('bgr remove v1\n');
  hash.update(createHash('sha256').update(image).digest('hex'));
  hash.update(`\n${JSON.stringify([...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}\n`);
  if (background) hash.update(createHash('sha256').update(background).digest('hex'));
  return `bgr-${hash.digest('hex')}`;
}
