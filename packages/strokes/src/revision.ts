// A short, stable name for one version of an edit: stored HD variants are keyed by it, so each edit
// revision is its own file and an unchanged edit reuses the one already rendered. The hash is FNV-1a
// (64-bit, computed in 16-bit limbs so it runs the same in every JavaScript engine) over the UTF-8 bytes
// of the document's canonical JSON (fixed key order, unknown keys dropped).
import type { EditDocument } from './document';

/** The document as JSON with a fixed key order and nothing but the known fields. */
export function canonicalJson(doc: EditDocument): string {
  return JSON.stringify({
    version: doc.version,
    strokes: doc.strokes.map((s) => ({ mode: s.mode, radius: s.radius, softness: s.softness, points: s.points })),
  });
}

export function fnv1a64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  // 0xcbf29ce484222325 in 16-bit limbs, lowest first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i]!;
    // Multiply by the prime 0x100000001b3 = 2^40 + 0x1b3.
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + h0 * 0x100;
    let t3 = h3 * 0x1b3 + h1 * 0x100;
    t1 += t0 >>> 16;
    h0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    h1 = t1 & 0xffff;
    t3 += t2 >>> 16;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  const hex = (v: number) => v.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/** A 16-hex-digit name for this version of the edit. */
export function strokesRevision(doc: EditDocument): string {
  return fnv1a64(canonicalJson(doc));
}
