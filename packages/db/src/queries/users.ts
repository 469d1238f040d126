import argon2 from 'argon2';
import { and, asc, count, eq, ilike, or } from 'drizzle-orm';
import type { Db } from '../client';
import { users, type User } from '../schema';

export type Role = 'user' | 'admin';
/** A user as callers see it: never the password hash. */
export type PublicUser = Omit<User, 'passwordHash'>;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

function toPublic(user: User): PublicUser {
  const { passwordHash: _omit, ...rest } = user;
  return rest;
}

export class UserError extends Error {
  constructor(
    readonly code: 'invalid_email' | 'email_taken' | 'weak_password' | 'not_found',
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const MIN_PASSWORD_LENGTH = 8;

export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UserError('weak_password', `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  }
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function createUser(
  db: Db,
  input: { email: string; password?: string; name?: string | null; role?: Role },
): Promise<PublicUser> {
  const email = normalizeEmail(input.email);
  if (!EMAIL_RE.test(email)) throw new UserError('invalid_email', `"${input.email}" is not an email address.`);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({ email, name: input.name ?? null, role: input.role ?? 'user', passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) throw new UserError('email_taken', `A user with the email ${email} already exists.`);
  return toPublic(row);
}

export async function findUserByEmail(db: Db, email: string): Promise<PublicUser | null> {
  const [row] = await db.select().from(users).where(eq(users.email, normalizeEmail(email)));
  return row ? toPublic(row) : null;
}

export async function getUser(db: Db, id: string): Promise<PublicUser | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ? toPublic(row) : null;
}

/** The user, or null when the email is unknown, the password wrong, or the account disabled. */
export async function verifyPassword(db: Db, email: string, password: string): Promise<PublicUser | null> {
  const [row] = await db.select().from(users).where(eq(users.email, normalizeEmail(email)));
  if (!row || row.disabled || !row.passwordHash) return null;
  const ok = await argon2.verify(row.passwordHash, password).catch(() => false);
  return ok ? toPublic(row) : null;
}

export async function setPassword(db: Db, id: string, password: string): Promise<void> {
  await db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, id));
}

export async function countAdmins(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false)));
  return row?.n ?? 0;
}

export async function listUsers(db: Db, opts: { search?: string; limit?: number; offset?: number } = {}): Promise<PublicUser[]> {
  const search = opts.search?.trim();
  const where = search
    ? or(ilike(users.email, `%${escapeLike(search)}%`), ilike(users.name, `%${escapeLike(search)}%`))
    : undefined;
  const rows = await db
    .select()
    .from(users)
    .where(where)
    .orderBy(asc(users.email))
    .limit(opts.limit ?? 100)
    .offset(opts.offset ?? 0);
  return rows.map(toPublic);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function updateUser(db: Db, id: string, values: Partial<User>): Promise<PublicUser> {
  const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
  if (!row) throw new UserError('not_found', 'No such user.');
  return toPublic(row);
}

export function setDisabled(db: Db, id: string, disabled: boolean): Promise<PublicUser> {
  return updateUser(db, id, { disabled });
}

export function setRole(db: Db, id: string, role: Role): Promise<PublicUser> {
  return updateUser(db, id, { role });
}

/** Signs in through OIDC: finds the user by email or creates one without a password. */
export async function upsertOidcUser(db: Db, input: { email: string; name?: string | null }): Promise<PublicUser> {
  const existing = await findUserByEmail(db, input.email);
  if (existing) {
    if (!existing.name && input.name) return updateUser(db, existing.id, { name: input.name });
    return existing;
  }
  try {
    return await createUser(db, { email: input.email, name: input.name ?? null });
  } catch (e) {
    // Two first sign-ins at once: the other one created it.
    if (e instanceof UserError && e.code === 'email_taken') {
      const again = await findUserByEmail(db, input.email);
      if (again) return again;
    }
    throw e;
  }
}
