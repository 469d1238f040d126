/**
 * The one charging path. Every operation that spends credits (the remove.bg API, web HD, batch)
 * runs through withCharge: reserve the most it can cost → do the work → capture what it cost, or
 * release on any failure (a thrown error, a refused result, a client that hung up). Nothing else
 * reserves, captures or releases (the admin CLI's `debit` is a correction, not a charge).
 *
 * One retry-key scheme: every attempt holds under a fresh hold key `<kind>:<uuid>`. An idempotency
 * key (the API's Idempotency-Key as `api:<key>`, web HD as `hd:<content hash>`) lives in
 * charge_keys, bound to a fingerprint of the request and pointing to its latest attempt's hold.
 * Looked up under the user's row lock before anything is reserved:
 *   - captured hold, same fingerprint → a replay: the work runs again, nothing is charged;
 *   - another fingerprint (captured or running) → refused (`key_reused`), nothing runs;
 *   - held → still running (`in_progress`);
 *   - released, expired or absent → a new attempt (a failed call stores nothing).
 * A request whose input is fetched during the work (the API's image_url) is named by its address,
 * not its bytes: its work returns the fetched content's digest (`content`), bound to the key with
 * the capture, and a replay gets it back (`boundContent`) to refuse other bytes under the same
 * address — else one paid call would replay free renders of whatever the address serves next.
 */
import { randomUUID } from 'node:crypto';
import type { Shortfall } from '@bgr/credits';
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../client';
import { chargeKeys, holds } from '../schema';
import { emitChargeEvent } from './charge-events';
import { capture, release, reserveLocked, withUserLock } from './ledger';

/** How long an API Idempotency-Key is remembered (Stripe's 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export type ChargeErrorCode = 'insufficient' | 'key_reused' | 'in_progress' | 'aborted';

export class ChargeError extends Error {
  constructor(
    readonly code: ChargeErrorCode,
    message: string,
    /** For `insufficient`: what the work needed and what the user has (units, their team share included). */
    readonly units = 0,
    readonly available = 0,
    /**
     * For `insufficient`: what ran short — 'cap' (a member's monthly team allowance), 'team' (the
     * team's credits; in both cases the person's own credits did not cover the rest either) or
     * 'own' (not in a team: their own credits).
     */
    readonly shortOf: Shortfall = 'own',
  ) {
    super(message);
    this.name = 'ChargeError';
  }
}

export interface ChargeInput {
  userId: string;
  /** The most the work can cost, in units; reserved before it starts. */
  units: number;
  /** Names the hold's key (`<kind>:<uuid>`): 'api', 'hd', 'batch'. */
  kind: string;
  /** Where the charge comes from ('api', 'apps', 'web'), for the charge events (charge-events.ts); default `kind`. */
  channel?: string;
  /** An idempotency key, scoped by its caller (`api:<Idempotency-Key>`, `hd:<hash>`); none: a one-off charge. */
  key?: string | null;
  /** What `key` is bound to: a hash of everything that changes the result. Required with `key`. */
  fingerprint?: string;
  /** How long a captured key replays; null: for ever. Default IDEMPOTENCY_TTL_MS. */
  ttlMs?: number | null;
  /** Aborted (the client hung up): the hold is released and nothing is charged, even after the work. */
  signal?: AbortSignal;
  now?: Date;
}

export interface ChargeContext {
  /** true: the key's earlier call was captured; this run is free. */
  replayed: boolean;
  /** On a replay: the content digest the captured call bound to the key (null: none); null on a new call. */
  boundContent: string | null;
}

/** What a work returns: its value, what it cost (default all that was reserved), the content to bind to the key. */
export interface ChargeWorkResult<T> {
  value: T;
  units?: number;
  /** A digest of input the work fetched itself (not in the fingerprint); kept with the key for replays. */
  content?: string | null;
}

export interface ChargeDone<T> {
  value: T;
  /** What was charged (0 on a replay). */
  units: number;
  replayed: boolean;
  holdId: string;
}

export type KeyState = {
  fingerprint: string;
  /** The content digest a captured call bound (ChargeWorkResult.content); null: none. */
  content: string | null;
  status: 'held' | 'captured';
  holdId: string;
};

/** A live key's state (absent, expired or released: null). */
export async function findChargeKey(
  db: Db,
  input: { userId: string; key: string; now?: Date },
): Promise<KeyState | null> {
  const now = input.now ?? new Date();
  const [row] = await db
    .select({
      fingerprint: chargeKeys.fingerprint,
      content: chargeKeys.contentDigest,
      expiresAt: chargeKeys.expiresAt,
      holdId: holds.id,
      status: holds.status,
    })
    .from(chargeKeys)
    .innerJoin(holds, eq(holds.id, chargeKeys.holdId))
    .where(and(eq(chargeKeys.userId, input.userId), eq(chargeKeys.key, input.key)));
  if (!row || row.status === 'released') return null;
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return null;
  return { ...fromOlderReplica(row.fingerprint, row.content), status: row.status, holdId: row.holdId };
}

/**
 * During a rolling upgrade past migration 0011, replicas still running older code write a key's
 * content digest into its fingerprint after a `#`, with no column. Read as such, their keys replay
 * on new replicas instead of being refused as another request. Request fingerprints are sha256 hex
 * (the API's request fingerprint, an image's content hash), so only those are split.
 */
function fromOlderReplica(
  fingerprint: string,
  content: string | null,
): { fingerprint: string; content: string | null } {
  const older = content === null ? /^([0-9a-f]{64})#(.+)$/.exec(fingerprint) : null;
  return older ? { fingerprint: older[1]!, content: older[2]! } : { fingerprint, content };
}

type Start = { kind: 'replay'; holdId: string; content: string | null } | { kind: 'new'; holdId: string };

async function start(db: Db, input: ChargeInput, now: Date): Promise<Start> {
  return withUserLock(db, input.userId, now, async (tx) => {
    if (input.key) {
      const state = await findChargeKey(tx, { userId: input.userId, key: input.key, now });
      if (state && state.fingerprint !== input.fingerprint) {
        throw new ChargeError('key_reused', 'This idempotency key was already used for a different request.');
      }
      if (state?.status === 'held')
        throw new ChargeError('in_progress', 'A request with this idempotency key is still being processed.');
      if (state?.status === 'captured')
        return { kind: 'replay' as const, holdId: state.holdId, content: state.content };
    }
    const reserved = await reserveLocked(tx, {
      userId: input.userId,
      units: input.units,
      key: `${input.kind}:${randomUUID()}`,
      now,
    });
    if (!reserved.ok) {
      throw new ChargeError(
        'insufficient',
        `This needs ${input.units} units; ${reserved.available} available.`,
        input.units,
        reserved.available,
        reserved.shortOf,
      );
    }
    if (input.key) {
      const ttl = input.ttlMs === undefined ? IDEMPOTENCY_TTL_MS : input.ttlMs;
      const values = {
        fingerprint: input.fingerprint!,
        // A new attempt under a released or expired key binds its own content, if any.
        contentDigest: null,
        holdId: reserved.hold.id,
        createdAt: now,
        expiresAt: ttl === null ? null : new Date(now.getTime() + ttl),
      };
      await tx
        .insert(chargeKeys)
        .values({ userId: input.userId, key: input.key, ...values })
        .onConflictDoUpdate({ target: [chargeKeys.userId, chargeKeys.key], set: values });
    }
    return { kind: 'new' as const, holdId: reserved.hold.id };
  });
}

/**
 * Runs `work` under a charge. `work` returns its value and what it cost (`units`, at most what was
 * reserved; default all of it). Throws ChargeError before the work when the key is reused, still
 * running or the balance is short; rethrows the work's own error after releasing the hold.
 */
export async function withCharge<T>(
  db: Db,
  input: ChargeInput,
  work: (ctx: ChargeContext) => Promise<ChargeWorkResult<T>>,
): Promise<ChargeDone<T>> {
  if (input.key && !input.fingerprint) throw new Error('withCharge: a key needs a fingerprint.');
  const now = input.now ?? new Date();
  const started = await start(db, input, now);
  if (started.kind === 'replay') {
    const { value } = await work({ replayed: true, boundContent: started.content });
    return { value, units: 0, replayed: true, holdId: started.holdId };
  }
  const told = { kind: input.kind, channel: input.channel ?? input.kind };
  emitChargeEvent({ event: 'opened', ...told, units: input.units });
  let units: number;
  let value: T;
  try {
    let content: string | null | undefined;
    ({ value, units = input.units, content } = await work({ replayed: false, boundContent: null }));
    // Bound while the hold is still held: a replay (possible only once captured) always finds it.
    if (input.key && content) await bindContent(db, input.userId, input.key, started.holdId, content);
    if (input.signal?.aborted)
      throw new ChargeError('aborted', 'The client went away before the result was delivered; nothing was charged.');
    await capture(db, { holdId: started.holdId, units, ...(input.now ? { now: input.now } : {}) });
  } catch (err) {
    await release(db, { holdId: started.holdId, ...(input.now ? { now: input.now } : {}) }).then(
      () => emitChargeEvent({ event: 'released', ...told, units: input.units }),
      (releaseErr: unknown) => {
        // Left held, processDue releases it after HOLD_TIMEOUT_MIN.
        console.error('[charge] release failed', releaseErr);
      },
    );
    throw err;
  }
  emitChargeEvent({ event: 'captured', ...told, units });
  return { value, units, replayed: false, holdId: started.holdId };
}

async function bindContent(db: Db, userId: string, key: string, holdId: string, content: string): Promise<void> {
  await db
    .update(chargeKeys)
    .set({ contentDigest: content })
    .where(and(eq(chargeKeys.userId, userId), eq(chargeKeys.key, key), eq(chargeKeys.holdId, holdId)));
}

/** Forgets idempotency keys past their 24 hours (run by the scheduler). */
export async function pruneChargeKeys(db: Db, now: Date = new Date()): Promise<number> {
  const rows = await db
    .delete(chargeKeys)
    .where(and(isNotNull(chargeKeys.expiresAt), lte(chargeKeys.expiresAt, now)))
    .returning({ key: chargeKeys.key });
  return rows.length;
}
