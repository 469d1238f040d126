/**
 * What the one charging path (charge.ts) tells the outside world: a hold opened, captured or
 * released. Why a hook: the web app counts these in its metrics, and packages never import apps,
 * so the app registers a listener here instead. The listeners live on globalThis, so every copy of
 * this module (Next.js may bundle it into several route bundles) reaches the same ones. A listener
 * that throws is ignored: counting must never break a charge.
 */

export interface ChargeEvent {
  event: 'opened' | 'captured' | 'released';
  /** The charge's kind ('api', 'hd', 'batch'). */
  kind: string;
  /** Where the charge came from ('api', 'apps', 'web'); the kind when the caller named none. */
  channel: string;
  /** Reserved (opened, released) or charged (captured) units. */
  units: number;
}

export type ChargeListener = (event: ChargeEvent) => void;

const KEY = Symbol.for('bgr.db.chargeListeners');

function listeners(): Set<ChargeListener> {
  const g = globalThis as { [KEY]?: Set<ChargeListener> };
  g[KEY] ??= new Set();
  return g[KEY];
}

/** Registers `listener` for every charge in this process; returns the function that removes it. */
export function onChargeEvent(listener: ChargeListener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

export function emitChargeEvent(event: ChargeEvent): void {
  for (const listener of listeners()) {
    try {
      listener(event);
    } catch {
      // A listener's failure is its own; the charge goes on.
    }
  }
}
