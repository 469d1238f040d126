/**
 * The current status of the service, as /api/status, /status and the recorder see it. Inference
 * readiness is the inference client's own probe state (every replica's /readyz each second, kept
 * current with no traffic by watch()); the database and storage are checked here; the error rate
 * sums every web replica's render counts of the last five minutes in PostgreSQL. One evaluation
 * is shared for CACHE_MS by every caller in this process (the promise itself is cached, so a burst
 * of requests makes one round of checks), so the page cannot be used to load the backends.
 */
import { type Db, getDb } from '@bgr/db/client';
import { renderTotals } from '@bgr/db/queries/operations';
import { getInference } from '../inference';
import { type CheckResult, checkDatabase, checkStorage } from './checks';
import { computeStatus, ERROR_RATE_WINDOW_MS, errorRate, type ServiceStatus } from './compute';

export const CACHE_MS = 5000;

/** What GET /api/status answers: no host names, no addresses. */
export interface PublicStatus {
  status: ServiceStatus;
  components: {
    database: 'up' | 'down';
    storage: 'up' | 'down';
    inference: { ready: number; total: number };
  };
  checkedAt: string;
}

export interface StatusDetail {
  public: PublicStatus;
  database: CheckResult;
  storage: CheckResult;
  renders: { requests: number; errors: number };
  errorRate: number;
}

/** The inference client's replicas, once each has been probed at least once (dns+ URLs: once looked up). */
async function inferenceReadiness(): Promise<{ ready: number; total: number }> {
  const client = getInference();
  client.watch();
  const unprobed = client.replicas().some((r) => r.probedAt === null);
  if (unprobed || client.discovery().some((d) => d.lookedUpAt === null)) await client.ready();
  const replicas = client.replicas();
  return { ready: replicas.filter((r) => r.state === 'ready').length, total: replicas.length };
}

/** Checks everything once, now (uncached: callers go through currentStatus, the admin page excepted). */
export async function evaluateStatus(db: () => Promise<Db> = getDb): Promise<StatusDetail> {
  const [database, storage, inference] = await Promise.all([checkDatabase(db), checkStorage(), inferenceReadiness()]);
  let renders = { requests: 0, errors: 0 };
  if (database.up) {
    try {
      renders = await renderTotals(await db(), { windowMs: ERROR_RATE_WINDOW_MS });
    } catch {
      // The database answered a moment ago; without the counts the rate reads as 0 %.
    }
  }
  const status = computeStatus({ database: database.up, storage: storage.up, inference, renders });
  return {
    public: {
      status,
      components: { database: database.up ? 'up' : 'down', storage: storage.up ? 'up' : 'down', inference },
      checkedAt: new Date().toISOString(),
    },
    database,
    storage,
    renders,
    errorRate: errorRate(renders),
  };
}

const KEY = Symbol.for('bgr.web.statusCache');
type WithCache = typeof globalThis & { [KEY]?: { at: number; value: Promise<StatusDetail> } };

/** The status, at most CACHE_MS old. */
export function currentStatus(now: number = Date.now()): Promise<StatusDetail> {
  const g = globalThis as WithCache;
  const cached = g[KEY];
  if (cached && now - cached.at < CACHE_MS) return cached.value;
  const value = evaluateStatus();
  g[KEY] = { at: now, value };
  // A failed evaluation is not kept: the next caller tries again.
  value.catch(() => {
    if (g[KEY]?.value === value) g[KEY] = undefined;
  });
  return value;
}
