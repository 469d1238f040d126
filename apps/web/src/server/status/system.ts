/**
 * What the admin System page shows (admin-only: served through an adminProcedure): every
 * inference replica with this process's probe state and its own GET /v1/stats (provider, model,
 * threads, in flight, queued, p50/p95 over the last hour, last 5xx), each dns+ entry of
 * INFERENCE_URLS with its last lookup (how many addresses, when, why it failed), the web replicas whose
 * heartbeat is under a minute old, the database and storage checks with their latency, each
 * scheduled job's last run, and holds still held after five minutes. Every part is bounded in time
 * and reports its own failure, so one dead backend never blanks the page.
 */
import type { Db } from '@bgr/db/client';
import type { ReplicaStats } from '@bgr/inference-client';
import { lastSchedulerRuns, staleHolds, webReplicasSeen } from '@bgr/db/queries/operations';
import { env } from '~/env';
import { getInference } from '../inference';
import { CHECK_TIMEOUT_MS, type CheckResult } from './checks';
import { evaluateStatus, type PublicStatus } from './current';
import { thisReplica } from './replica';

export const WEB_SEEN_MS = 60_000;
export const STALE_HOLD_MS = 5 * 60_000;

export interface InferenceReplicaRow {
  url: string;
  /** This web process's probe state of it. */
  state: 'ready' | 'slow' | 'down';
  probedAt: Date | null;
  /** Its GET /v1/stats. */
  stats: ReplicaStats | null;
  /** Why the stats could not be read. */
  statsError: string | null;
}

async function readStats(url: string): Promise<Pick<InferenceReplicaRow, 'stats' | 'statsError'>> {
  try {
    const res = await fetch(`${url}/v1/stats`, {
      headers: { 'x-inference-secret': env().inference.secret },
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    if (!res.ok) return { stats: null, statsError: `It answered ${res.status}.` };
    return { stats: (await res.json()) as ReplicaStats, statsError: null };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return {
      stats: null,
      statsError: timedOut ? `No answer within ${CHECK_TIMEOUT_MS / 1000} s.` : 'It could not be reached.',
    };
  }
}

/** One dns+ entry of INFERENCE_URLS as this process last looked it up (client.discovery()). */
export interface DiscoveryRow {
  /** The entry as configured, e.g. dns+http://bgr-inference-pods:3001. */
  url: string;
  /** The name looked up, e.g. bgr-inference-pods. */
  name: string;
  /** How many addresses its last good lookup gave: one replica each (kept through failed lookups). */
  addresses: number;
  lookedUpAt: Date | null;
  /** Why the last lookup failed, in a sentence; null when it answered. */
  error: string | null;
}

export interface SystemOverview {
  status: PublicStatus;
  errorRate: number;
  inference: InferenceReplicaRow[];
  /** Each dns+ entry's last lookup; empty when INFERENCE_URLS lists addresses only. */
  discovery: DiscoveryRow[];
  web: { replicaId: string; host: string; version: string; startedAt: Date; lastSeen: Date; self: boolean }[];
  database: CheckResult;
  storage: CheckResult;
  scheduler: { job: string; runner: string; startedAt: Date }[];
  holds: Awaited<ReturnType<typeof staleHolds>>;
  /** A section that could not be read (the database down), in a sentence. */
  unavailable: string | null;
}

export async function systemOverview(db: Db, now: Date = new Date()): Promise<SystemOverview> {
  const client = getInference();
  client.watch();
  // Fresh checks for an administrator (the public status is the same rule, cached). The status
  // waits for the first probe of each replica, so the rows below show probed states.
  const status = await evaluateStatus(async () => db);
  const inference = await Promise.all(
    client.replicas().map(async (r) => ({
      url: r.url,
      state: r.state,
      probedAt: r.probedAt === null ? null : new Date(r.probedAt),
      ...(await readStats(r.url)),
    })),
  );
  // The status waited for each dns+ name's first lookup too, so every row has one.
  const discovery = client.discovery().map((d) => ({
    url: d.url,
    name: d.name,
    addresses: d.replicas.length,
    lookedUpAt: d.lookedUpAt === null ? null : new Date(d.lookedUpAt),
    error: d.error,
  }));
  const { database, storage } = status;
  const base = { status: status.public, errorRate: status.errorRate, inference, discovery, database, storage };
  try {
    const me = thisReplica().id;
    const [web, scheduler, holds] = await Promise.all([
      webReplicasSeen(db, new Date(now.getTime() - WEB_SEEN_MS)),
      lastSchedulerRuns(db),
      staleHolds(db, { before: new Date(now.getTime() - STALE_HOLD_MS), limit: 5 }),
    ]);
    return { ...base, web: web.map((w) => ({ ...w, self: w.replicaId === me })), scheduler, holds, unavailable: null };
  } catch {
    return {
      ...base,
      web: [],
      scheduler: [],
      holds: { count: 0, oldest: [] },
      unavailable: 'Web replicas, scheduler runs and holds cannot be read while the database is not answering.',
    };
  }
}
