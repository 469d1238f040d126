// The mask cache: the model's mask per (image content hash, model) — its probability map with the
// main-subject cleanup applied, as 8-bit (refine/index.ts modelMask: 1 MB at 1024², everything a
// later render needs) — bounded in bytes (MASK_CACHE_MB, default 256), least recently used out first. Identical requests in flight share
// one model run, so a preview followed at once by the full render runs the model once.

export const DEFAULT_MASK_CACHE_MB = 256;

export interface CacheStats {
  hits: number;
  misses: number;
  inflightJoins: number;
  entries: number;
  bytes: number;
  maxBytes: number;
}

export class MaskCache {
  private readonly done = new Map<string, Uint8Array>();
  private readonly inflight = new Map<string, Promise<Uint8Array>>();
  private bytes = 0;
  hits = 0;
  misses = 0;
  inflightJoins = 0;

  /** `maxBytes`: the service passes MASK_CACHE_MB (server/config.ts); default 256 MB. */
  constructor(readonly maxBytes = DEFAULT_MASK_CACHE_MB * 1024 * 1024) {}

  /** Returns the cached map (cached: true) or computes it once, however many callers ask meanwhile. */
  async get(key: string, compute: () => Promise<Uint8Array>): Promise<{ mask: Uint8Array; cached: boolean }> {
    const hit = this.done.get(key);
    if (hit) {
      this.hits++;
      this.done.delete(key); // re-insert: most recently used last
      this.done.set(key, hit);
      return { mask: hit, cached: true };
    }
    const pending = this.inflight.get(key);
    if (pending) {
      this.inflightJoins++;
      return { mask: await pending, cached: true };
    }
    this.misses++;
    const promise = compute();
    this.inflight.set(key, promise);
    try {
      const mask = await promise;
      this.store(key, mask);
      return { mask, cached: false };
    } finally {
      this.inflight.delete(key);
    }
  }

  private store(key: string, mask: Uint8Array) {
    const size = mask.byteLength;
    if (size > this.maxBytes) return;
    this.done.set(key, mask);
    this.bytes += size;
    for (const [k, v] of this.done) {
      if (this.bytes <= this.maxBytes) break;
      this.done.delete(k);
      this.bytes -= v.byteLength;
    }
  }

  stats(): CacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      inflightJoins: this.inflightJoins,
      entries: this.done.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
    };
  }
}
