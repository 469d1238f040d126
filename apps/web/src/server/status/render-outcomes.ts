/**
 * Render outcomes of this web process, for the status's error rate. Every render the process asks
 * of the inference fleet ends as `ok` (2xx), `client` (a 4xx: the image or options were wrong —
 * not counted at all) or `server` (5xx: a replica failed, timed out, or none was reachable). The
 * counts wait here, per minute, until the recorder adds them to PostgreSQL (@bgr/db
 * queries/operations.ts explains why per-minute counters and not a row per render). A call the
 * caller itself abandoned (the person went away) counts as nothing.
 *
 * The pending counts live on globalThis: Next bundles route handlers and instrumentation apart, and
 * both must see the same numbers.
 */
import { InferenceClient, InferenceError, type RenderResult } from '@bgr/inference-client';
import { minuteOf } from '@bgr/db/queries/operations';

export type RenderOutcome = 'ok' | 'client' | 'server';

export interface PendingCount {
  minute: number;
  requests: number;
  errors: number;
}

const KEY = Symbol.for('bgr.web.renderOutcomes');
type WithPending = typeof globalThis & { [KEY]?: Map<number, PendingCount> };

function pending(): Map<number, PendingCount> {
  const g = globalThis as WithPending;
  g[KEY] ??= new Map();
  return g[KEY];
}

/** The outcome of a failed render: 4xx InferenceErrors are the caller's; anything else is a 5xx. */
export function outcomeOf(err: unknown): RenderOutcome {
  return err instanceof InferenceError && err.status < 500 ? 'client' : 'server';
}

export function recordRender(outcome: RenderOutcome, at: Date = new Date()): void {
  if (outcome === 'client') return;
  const minute = minuteOf(at);
  const map = pending();
  const row = map.get(minute) ?? { minute, requests: 0, errors: 0 };
  row.requests++;
  if (outcome === 'server') row.errors++;
  map.set(minute, row);
}

/** Hands over (and forgets) what is pending; give it back with restorePending if it could not be stored. */
export function takePending(): PendingCount[] {
  const map = pending();
  const rows = [...map.values()];
  map.clear();
  return rows;
}

export function restorePending(rows: PendingCount[]): void {
  const map = pending();
  for (const r of rows) {
    const row = map.get(r.minute) ?? { minute: r.minute, requests: 0, errors: 0 };
    row.requests += r.requests;
    row.errors += r.errors;
    map.set(r.minute, row);
  }
}

/** The inference client of the web process, counting each render's outcome. */
export class CountedInferenceClient extends InferenceClient {
  override async render(...args: Parameters<InferenceClient['render']>): Promise<RenderResult> {
    try {
      const result = await super.render(...args);
      recordRender('ok');
      return result;
    } catch (err) {
      if (!args[2]?.signal?.aborted) recordRender(outcomeOf(err));
      throw err;
    }
  }
}
