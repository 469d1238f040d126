/**
 * The fingerprint an Idempotency-Key is bound to: sha256 over the image (its bytes, or its URL as
 * given), the background image (bytes or URL) and every parameter that changes the result. The
 * same key with another fingerprint is a different request and is refused, never replayed.
 */
import { createHash } from 'node:crypto';
import type { ImageSource, RemoveBgParams } from './params';

function source(hash: ReturnType<typeof createHash>, label: string, s: ImageSource | undefined): void {
  hash.update(`${label}:`);
  if (!s) hash.update('none');
  else if (s.kind === 'url') hash.update(`url:${s.url}`);
  else hash.update(`sha256:${createHash('sha256').update(s.bytes).digest('hex')}`);
  hash.update('\n');
}

export function requestFingerprint(params: RemoveBgParams): string {
  const hash = createHash('sha256');
  source(hash, 'image', params.source);
  source(hash, 'background', params.background);
  // Every render option that is set, by name in a fixed order.
  const o = params.options as unknown as Record<string, unknown>;
  for (const name of Object.keys(o).sort()) hash.update(`${name}=${JSON.stringify(o[name])}\n`);
  return hash.digest('hex');
}
