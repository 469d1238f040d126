import { createHash, randomBytes } from 'node:crypto';
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { apiKeys, users, type ApiKey } from '../schema';
import type { PublicUser } from './users';

/** Keys look like `bgr_<40 hex>`; the prefix shown in lists is the first 12 characters. */
export const API_KEY_PREFIX = 'bgr_';
const SHOWN_PREFIX_LENGTH = 12;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export type ApiKeyInfo = Omit<ApiKey, 'hash'>;

function toInfo(row: ApiKey): ApiKeyInfo {
  const { hash: _omit, ...rest } = row;
  return rest;
}

/** Active (unrevoked) keys one user may hold: limits are per user, and keys must not multiply them. */
export const MAX_ACTIVE_API_KEYS = 20;

export class ApiKeyLimitError extends Error {
  override name = 'ApiKeyLimitError';
  constructor() {
    super(
      `You already have ${MAX_ACTIVE_API_KEYS} active API keys, the most an account can have. Revoke one you no longer use, then create the new one.`,
    );
  }
}

/**
 * Creates a key; the plaintext is returned this once and never stored. Counted under the user's
 * row lock, so racing creations cannot pass MAX_ACTIVE_API_KEYS.
 */
export async function createApiKey(
  db: Db,
  input: { userId: string; name: string },
): Promise<{ id: string; key: string; prefix: string; name: string }> {
  const key = API_KEY_PREFIX + randomBytes(20).toString('hex');
  const prefix = key.slice(0, SHOWN_PREFIX_LENGTH);
  const name = input.name.trim() || 'API key';
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).for('update');
    const [active] = await tx
      .select({ n: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.userId, input.userId), isNull(apiKeys.revokedAt)));
    if (Number(active?.n ?? 0) >= MAX_ACTIVE_API_KEYS) throw new ApiKeyLimitError();
    const [row] = await tx
      .insert(apiKeys)
      .values({ userId: input.userId, name, prefix, hash: hashApiKey(key) })
      .returning({ id: apiKeys.id });
    return { id: row!.id, key, prefix, name };
  });
}

/** The owner of a live key (and records its use); null when unknown, revoked, or the owner is disabled. */
export async function findUserByApiKey(
  db: Db,
  key: string,
  now: Date = new Date(),
): Promise<{ user: PublicUser; apiKey: ApiKeyInfo } | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const [row] = await db
    .select({ apiKey: apiKeys, user: users })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.hash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
  if (!row || row.user.disabled) return null;
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.apiKey.id));
  const { passwordHash: _omit, ...user } = row.user;
  return { user, apiKey: { ...toInfo(row.apiKey), lastUsedAt: now } };
}

export async function listApiKeys(db: Db, userId: string): Promise<ApiKeyInfo[]> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt));
  return rows.map(toInfo);
}

/** Revokes a key (only the owner's when userId is given). Returns it, or null when there is no such key. */
export async function revokeApiKey(
  db: Db,
  input: { id: string; userId?: string; now?: Date },
): Promise<ApiKeyInfo | null> {
  const where = input.userId
    ? and(eq(apiKeys.id, input.id), eq(apiKeys.userId, input.userId))
    : eq(apiKeys.id, input.id);
  const [existing] = await db.select().from(apiKeys).where(where);
  if (!existing) return null;
  if (existing.revokedAt) return toInfo(existing);
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: input.now ?? new Date() })
    .where(where)
    .returning();
  return row ? toInfo(row) : null;
}
