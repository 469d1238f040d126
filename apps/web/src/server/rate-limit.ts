/**
 * A weighted sliding-window rate limiter, in memory (one per web process, so each replica keeps
 * its own per-minute budget; the daily /improve limit is counted in the database instead).
 *
 * Each call has a cost (megapixel-units for the remove.bg API). A call first takes a tentative
 * slot (so concurrent calls cannot all slip under the limit), then commits it on success or
 * cancels it on failure — failed calls do not count.
 */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Unix time (seconds) when the oldest counted call leaves the window. */
  resetAt: number;
}

export type RateLimitDecision =
  | ({ ok: true; commit: () => void; cancel: () => void } & RateLimitState)
  | ({ ok: false; retryAfterSeconds: number } & RateLimitState);

interface Entry {
  at: number;
  cost: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Entry[]>();
  private readonly windowMs: number;
  private readonly now: () => number;
  readonly limit: number;

  constructor(opts: { limit: number; windowMs?: number; now?: () => number }) {
    this.limit = opts.limit;
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  private live(key: string, now: number): Entry[] {
    const entries = (this.windows.get(key) ?? []).filter((e) => e.at > now - this.windowMs);
    if (entries.length) this.windows.set(key, entries);
    else this.windows.delete(key);
    return entries;
  }

  private state(entries: Entry[], now: number): RateLimitState {
    const used = entries.reduce((sum, e) => sum + e.cost, 0);
    const oldest = entries[0]?.at ?? now;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - used),
      resetAt: Math.ceil((oldest + this.windowMs) / 1000),
    };
  }

  /** Takes `cost` from the key's window if it fits (a call alone in an empty window always fits). */
  take(key: string, cost: number): RateLimitDecision {
    const now = this.now();
    const entries = this.live(key, now);
    const used = entries.reduce((sum, e) => sum + e.cost, 0);
    if (entries.length > 0 && used + cost > this.limit) {
      // Wait until enough of the oldest calls leave the window.
      let freed = 0;
      let until = now;
      for (const e of entries) {
        freed += e.cost;
        until = e.at + this.windowMs;
        if (used - freed + cost <= this.limit) break;
      }
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)),
        ...this.state(entries, now),
      };
    }
    const entry: Entry = { at: now, cost };
    entries.push(entry);
    this.windows.set(key, entries);
    let settled = false;
    return {
      ok: true,
      ...this.state(entries, now),
      commit: () => {
        settled = true;
      },
      cancel: () => {
        if (settled) return;
        settled = true;
        const list = this.windows.get(key);
        const i = list?.indexOf(entry) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
      },
    };
  }

  /** The current state without taking anything (for headers on other answers). */
  peek(key: string): RateLimitState {
    const now = this.now();
    return this.state(this.live(key, now), now);
  }
}

/** Megapixel-units of one call: max(1, ⌈MP⌉). */
export function megapixelUnits(width: number, height: number): number {
  return Math.max(1, Math.ceil((width * height) / 1_000_000));
}
