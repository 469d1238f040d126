/**
 * The fingerprint an Idempotency-Key is bound to: sha256 over the image (its bytes, or its URL as
 * given), the background image (bytes or URL) and every parameter that changes the result. The
 * same key with another fingerprint is a different request and is refused, never replayed.
 * An address's bytes are known only once fetched, inside the charge: fetchedContentDigest names
 * them, withCharge keeps it with the key, and a replay that fetched other bytes is refused too.
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

/**
 * sha256 over the bytes fetched for the request's URL sources (image, then background); null when
 * neither came from a URL (uploaded bytes are in the fingerprint already).
 */
export function fetchedContentDigest(
  params: RemoveBgParams,
  image: Uint8Array,
  background: Uint8Array | undefined,
): string | null {
  const fromUrl = params.source.kind === 'url';
  const bgFromUrl = params.background?.kind === 'url';
  if (!fromUrl && !bgFromUrl) return null;
  const hash = createHash('sha256');
  hash.update(fromUrl ? `image:sha256:${createHash('sha256').update(image).digest('hex')}\n` : 'image:upload\n');
  hash.update(
    bgFromUrl && background
      ? `background:sha256:${createHash('sha256').update(background).digest('hex')}\n`
      : 'background:none\n',
  );
  return hash.digest('hex');
}
