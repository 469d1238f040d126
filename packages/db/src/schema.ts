import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased; unique. */
    email: text('email').notNull(),
    name: text('name'),
    role: text('role', { enum: ['user', 'admin'] })
      .notNull()
      .default('user'),
    /** argon2id hash; null for accounts that only sign in through OIDC. */
    passwordHash: text('password_hash'),
    disabled: boolean('disabled').notNull().default(false),
    /** Bumped to end every session (next-auth JWT) issued before; tokens carry the version they were issued at. */
    sessionVersion: integer('session_version').notNull().default(0),
    /** The OIDC identity bound to this account (issuer URL and `sub`), once it signed in through SSO. */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    uniqueIndex('users_oidc_identity_key').on(t.oidcIssuer, t.oidcSubject).where(sql`${t.oidcSubject} is not null`),
    check('users_role_check', sql`${t.role} in ('user','admin')`),
  ],
);

/** A department holding credits like a person does; names are unique whatever their case. */
export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** An admin's setting: the team's owners may add and remove members and set their caps. */
    ownersManageMembers: boolean('owners_manage_members').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('teams_name_key').using('btree', sql`lower(${t.name})`),
    check('teams_name_check', sql`length(btrim(${t.name})) between 1 and 100`),
  ],
);

export const TEAM_ROLES = ['owner', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** A person belongs to at most one team (user_id is the key); a cap limits their team credits per calendar month (UTC). */
export const teamMembers = pgTable(
  'team_members',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    role: text('role', { enum: TEAM_ROLES }).notNull().default('member'),
    /** Units of team credit per calendar month (UTC); null: no cap. */
    monthlyCapUnits: integer('monthly_cap_units'),
    joinedAt: ts('joined_at').notNull().defaultNow(),
  },
  (t) => [
    index('team_members_team_idx').on(t.teamId),
    check('team_members_role_check', sql`${t.role} in ('owner','member')`),
    check('team_members_cap_check', sql`${t.monthlyCapUnits} is null or ${t.monthlyCapUnits} >= 0`),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the key, safe to show ("bgr_1a2b3c4d…"). */
    prefix: text('prefix').notNull(),
    /** sha256 hex of the whole key; the key itself is never stored. */
    hash: text('hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_key').on(t.hash), index('api_keys_user_idx').on(t.userId)],
);

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The owner: a person (user_id) or a team (team_id), exactly one. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').references(() => teams.id),
    monthlyUnits: integer('monthly_units').notNull(),
    /** Start or last plan change: renewals fall on this day of the month. */
    anchorAt: ts('anchor_at').notNull(),
    periodIndex: integer('period_index').notNull().default(0),
    periodStart: ts('period_start').notNull(),
    periodEnd: ts('period_end').notNull(),
    status: text('status', { enum: ['active', 'ended'] })
      .notNull()
      .default('active'),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    createdAt: createdAt(),
    endedAt: ts('ended_at'),
  },
  (t) => [
    uniqueIndex('subscriptions_one_active').on(t.userId).where(sql`${t.status} = 'active'`),
    uniqueIndex('subscriptions_team_one_active')
      .on(t.teamId)
      .where(sql`${t.status} = 'active' and ${t.teamId} is not null`),
    check('subscriptions_monthly_positive', sql`${t.monthlyUnits} > 0`),
    check('subscriptions_one_owner', sql`(${t.userId} is null) <> (${t.teamId} is null)`),
  ],
);

/** Credits granted together with one expiry. `remaining` is a cache of entries minus active holds. */
export const lots = pgTable(
  'lots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The owner: a person (user_id) or a team (team_id), exactly one. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').references(() => teams.id),
    kind: text('kind', { enum: ['subscription', 'rollover', 'payg', 'promo'] }).notNull(),
    amount: integer('amount').notNull(),
    remaining: integer('remaining').notNull(),
    effectiveAt: ts('effective_at').notNull(),
    expiresAt: ts('expires_at'),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('lots_user_idx').on(t.userId),
    index('lots_team_idx').on(t.teamId).where(sql`${t.teamId} is not null`),
    check('lots_remaining_range', sql`${t.remaining} >= 0 and ${t.remaining} <= ${t.amount}`),
    check('lots_one_owner', sql`(${t.userId} is null) <> (${t.teamId} is null)`),
  ],
);

export const HOLD_STATUSES = ['held', 'captured', 'released'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/** A reservation taken before inference; `allocations` are the units it took from each lot, in order. */
export const holds = pgTable(
  'holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Idempotency key, unique per user. */
    key: text('key').notNull(),
    units: integer('units').notNull(),
    capturedUnits: integer('captured_units'),
    status: text('status', { enum: HOLD_STATUSES }).notNull().default('held'),
    allocations: jsonb('allocations').$type<{ lotId: string; units: number }[]>().notNull(),
    /** The team whose lots the hold drew from (the person's team when it was taken); null: none. */
    teamId: uuid('team_id').references(() => teams.id),
    /** How many of `units` came from the team's lots: the first allocations (team first, then own). */
    teamUnits: integer('team_units').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    settledAt: ts('settled_at'),
  },
  (t) => [
    uniqueIndex('holds_user_key').on(t.userId, t.key),
    index('holds_status_idx').on(t.status, t.createdAt),
    index('holds_team_user_idx').on(t.teamId, t.userId, t.createdAt).where(sql`${t.teamId} is not null`),
    check(
      'holds_team_units_check',
      sql`${t.teamUnits} >= 0 and ${t.teamUnits} <= ${t.units} and (${t.teamId} is not null or ${t.teamUnits} = 0)`,
    ),
  ],
);

export const ENTRY_TYPES = ['grant', 'rollover', 'carry', 'expire', 'charge', 'debit'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** Append-only: a trigger (see the migration) refuses UPDATE and DELETE. */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The lot's owner: a person (user_id) or a team (team_id), exactly one. */
    userId: uuid('user_id').references(() => users.id),
    teamId: uuid('team_id').references(() => teams.id),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    holdId: uuid('hold_id').references(() => holds.id),
    type: text('type', { enum: ENTRY_TYPES }).notNull(),
    /** Signed change to the lot, in units. */
    delta: integer('delta').notNull(),
    /** When it took effect (the caller's `now`, or a renewal/expiry instant). */
    at: ts('at').notNull(),
    note: text('note'),
    actorId: uuid('actor_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('ledger_entries_user_idx').on(t.userId, t.id),
    index('ledger_entries_lot_idx').on(t.lotId),
    index('ledger_entries_team_idx').on(t.teamId, t.id).where(sql`${t.teamId} is not null`),
    check('ledger_entries_one_owner', sql`(${t.userId} is null) <> (${t.teamId} is null)`),
  ],
);

export const images = pgTable(
  'images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    contentHash: text('content_hash').notNull(),
    originalName: text('original_name').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    storageKey: text('storage_key').notNull(),
    consentImprove: boolean('consent_improve').notNull().default(false),
    source: text('source', { enum: ['web', 'api'] }).notNull(),
    status: text('status', { enum: ['uploaded', 'hd'] })
      .notNull()
      .default('uploaded'),
    hdHoldId: uuid('hd_hold_id').references(() => holds.id),
    hdResultKey: text('hd_result_key'),
    hdWidth: integer('hd_width'),
    hdHeight: integer('hd_height'),
    hdFormat: text('hd_format'),
    hdAt: ts('hd_at'),
    /** Images dropped together in the browser share one (bulk upload); null for single uploads. */
    batchId: uuid('batch_id'),
    /** Its place among the files chosen for the batch (0 = first), whatever order the uploads finished in. */
    batchPosition: integer('batch_position'),
    createdAt: createdAt(),
  },
  (t) => [
    index('images_user_idx').on(t.userId, t.createdAt),
    index('images_created_idx').on(t.createdAt),
    index('images_user_batch_idx').on(t.userId, t.batchId).where(sql`${t.batchId} is not null`),
  ],
);

export const usageEvents = pgTable(
  'usage_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    /** web: the site; api: API clients; apps: our own clients (the bgr CLI), by User-Agent. */
    channel: text('channel', { enum: ['web', 'api', 'apps'] }).notNull(),
    /** What was produced: preview, hd, full, auto, … (the requested size). */
    kind: text('kind').notNull(),
    units: integer('units').notNull(),
    megapixels: real('megapixels').notNull().default(0),
    ok: boolean('ok').notNull(),
    errorCode: text('error_code'),
    createdAt: createdAt(),
  },
  (t) => [index('usage_events_user_idx').on(t.userId, t.createdAt)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** null: the admin CLI (an operator with database access). */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetUserId: uuid('target_user_id').references(() => users.id, { onDelete: 'set null' }),
    note: text('note'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt)],
);

export const improvementSubmissions = pgTable(
  'improvement_submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    source: text('source', { enum: ['web', 'api'] }).notNull(),
    storageKey: text('storage_key').notNull(),
    filename: text('filename').notNull(),
    tag: text('tag'),
    createdAt: createdAt(),
  },
  (t) => [
    index('improvement_submissions_created_idx').on(t.createdAt),
    index('improvement_submissions_user_idx').on(t.userId, t.createdAt),
  ],
);

export const helpFeedback = pgTable(
  'help_feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    topic: text('topic').notNull(),
    helpful: boolean('helpful').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('help_feedback_topic_idx').on(t.topic),
    // One vote per person and topic (migration 0012); rows without a person (null) stay apart.
    uniqueIndex('help_feedback_user_topic_key').on(t.userId, t.topic),
  ],
);

export type User = typeof users.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type TeamMember = typeof teamMembers.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type LotRow = typeof lots.$inferSelect;
export type HoldRow = typeof holds.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type Image = typeof images.$inferSelect;
export type UsageEvent = typeof usageEvents.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type ImprovementSubmission = typeof improvementSubmissions.$inferSelect;
export type HelpFeedback = typeof helpFeedback.$inferSelect;

/**
 * One row per counted hit of a rate limit or throttle (API megapixel-units, uploads, HD renders,
 * sign-in failures …). Kept in the database so every web replica sees the same counts; rows older
 * than their window are pruned. `bucket` names the limit and its subject, e.g. `api:user:<id>`.
 */
export const limitHits = pgTable(
  'limit_hits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bucket: text('bucket').notNull(),
    cost: integer('cost').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('limit_hits_bucket_at_idx').on(t.bucket, t.at), check('limit_hits_cost_check', sql`${t.cost} > 0`)],
);

/**
 * One row per periodic job run (processDue, retention, pruning): `tick` is the job's time slot
 * (start time ÷ interval). The primary key lets exactly one web replica claim each slot, however
 * many run the scheduler; rows older than a day are pruned.
 */
export const schedulerRuns = pgTable(
  'scheduler_runs',
  {
    job: text('job').notNull(),
    tick: bigint('tick', { mode: 'number' }).notNull(),
    /** Which process ran it (host and pid), for operators. */
    runner: text('runner').notNull(),
    startedAt: ts('started_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.job, t.tick] }), index('scheduler_runs_started_at_idx').on(t.startedAt)],
);

/**
 * What an idempotency key (the API's Idempotency-Key, or `hd:<content hash>` for web HD) is bound
 * to: the request's fingerprint and the hold of its latest attempt. The hold's status says the
 * rest — captured: replay; held: still running; released: nothing stored, the key is free again.
 * `expires_at` null: kept for ever (an image's HD stays paid).
 */
export const chargeKeys = pgTable(
  'charge_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    /**
     * A digest of the input the paid call fetched itself (an image_url's bytes), bound when its work
     * returned; a replay that fetches other bytes is refused. Null: nothing fetched, or not yet bound.
     */
    contentDigest: text('content_digest'),
    holdId: uuid('hold_id')
      .notNull()
      .references(() => holds.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('charge_keys_expires_idx').on(t.expiresAt)],
);

export type ChargeKeyRow = typeof chargeKeys.$inferSelect;

/** The stored HD renders of an image (one per background and format), at most a few kept. */
export const imageVariants = pgTable(
  'image_variants',
  {
    imageId: uuid('image_id')
      .notNull()
      .references(() => images.id, { onDelete: 'cascade' }),
    storageKey: text('storage_key').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.imageId, t.storageKey] })],
);

/**
 * A person's erase/restore strokes on one image (an @bgr/strokes EditDocument, validated by the web
 * app before it is stored): one row per image, replaced on save, deleted on reset. `revision` is
 * strokesRevision(document), the part of an edited HD variant's storage key.
 */
export const imageEdits = pgTable(
  'image_edits',
  {
    imageId: uuid('image_id')
      .primaryKey()
      .references(() => images.id, { onDelete: 'cascade' }),
    document: jsonb('document').$type<unknown>().notNull(),
    strokeCount: integer('stroke_count').notNull(),
    bytes: integer('bytes').notNull(),
    revision: text('revision').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('image_edits_stroke_count_check', sql`${t.strokeCount} >= 0`),
    check('image_edits_bytes_check', sql`${t.bytes} between 0 and 262144`),
  ],
);

export type ImageEdit = typeof imageEdits.$inferSelect;

export const SERVICE_STATUSES = ['operational', 'degraded', 'down'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/**
 * One row per minute (`minute` = unix minutes) with what `/api/status` said then, written by
 * whichever web replica claimed that minute's `status-check` tick; the public page draws the last
 * 24 hours from them. Rows older than two days are pruned.
 */
export const statusChecks = pgTable(
  'status_checks',
  {
    minute: bigint('minute', { mode: 'number' }).primaryKey(),
    checkedAt: ts('checked_at').notNull(),
    status: text('status', { enum: SERVICE_STATUSES }).notNull(),
    databaseUp: boolean('database_up').notNull(),
    storageUp: boolean('storage_up').notNull(),
    inferenceReady: integer('inference_ready').notNull(),
    inferenceTotal: integer('inference_total').notNull(),
    renderRequests: integer('render_requests').notNull(),
    renderErrors: integer('render_errors').notNull(),
  },
  (t) => [
    index('status_checks_checked_at_idx').on(t.checkedAt),
    check('status_checks_status_check', sql`${t.status} in ('operational', 'degraded', 'down')`),
  ],
);

/** Each web replica's heartbeat (every ~15 s): the System page lists those seen in the last minute. */
export const webReplicas = pgTable(
  'web_replicas',
  {
    replicaId: text('replica_id').primaryKey(),
    /** Host name and pid, for operators (never shown on the public status). */
    host: text('host').notNull(),
    version: text('version').notNull(),
    startedAt: ts('started_at').notNull(),
    lastSeen: ts('last_seen').notNull(),
  },
  (t) => [index('web_replicas_last_seen_idx').on(t.lastSeen)],
);

/**
 * Render outcomes per web replica and minute (`minute` = unix minutes): every render the replica
 * asked of the inference fleet, and those answered with a 5xx. Counted in memory and added here
 * with the heartbeat, so the error rate of the status covers every replica for one upsert each.
 */
export const renderCounts = pgTable(
  'render_counts',
  {
    minute: bigint('minute', { mode: 'number' }).notNull(),
    replicaId: text('replica_id').notNull(),
    requests: integer('requests').notNull(),
    errors: integer('errors').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.minute, t.replicaId] }),
    check('render_counts_range', sql`${t.errors} >= 0 and ${t.errors} <= ${t.requests}`),
  ],
);
