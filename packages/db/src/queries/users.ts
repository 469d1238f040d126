import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
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
    readonly code: 'invalid_email' | 'email_taken' | 'weak_password' | 'not_found' | 'last_admin' | 'not_admin',
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const MIN_PASSWORD_LENGTH = 8;

/**
 * argon2id (the library's default algorithm) at the cost the previous library (node-argon2) used:
 * 64 MiB, 3 passes, 4 lanes. Hashes stored before the switch carry the same parameters, so every
 * verification costs the same whichever library made the hash.
 */
export const PASSWORD_HASH_OPTIONS = { memoryCost: 65536, timeCost: 3, parallelism: 4 } as const;

export async function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UserError('weak_password', `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  }
  return argon2Hash(password, PASSWORD_HASH_OPTIONS);
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
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  return row ? toPublic(row) : null;
}

export async function getUser(db: Db, id: string): Promise<PublicUser | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ? toPublic(row) : null;
}

/**
 * An argon2id hash of a random password nobody knows, made with hashPassword's parameters: checked
 * when the email is unknown or has no password, so those answers take as long as a wrong password.
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$o+PhQLleuD91BWh4bKfTwQ$Tp3r7xftUj6NRw/mRbMS9Q7unjYJw7/Tdy1ouOrosKo';

/**
 * The user, or null when the email is unknown, the password wrong, the account disabled or
 * without a password (SSO only). Every path runs one argon2 verification, so the time taken
 * does not tell whether the email has an account.
 */
export async function verifyPassword(db: Db, email: string, password: string): Promise<PublicUser | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  const ok = await argon2Verify(row?.passwordHash ?? DUMMY_PASSWORD_HASH, password).catch(() => false);
  return ok && row?.passwordHash && !row.disabled ? toPublic(row) : null;
}

export async function setPassword(db: Db, id: string, password: string): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(eq(users.id, id));
}

export async function countAdmins(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false)));
  return row?.n ?? 0;
}

export async function listUsers(
  db: Db,
  opts: { search?: string; limit?: number; offset?: number } = {},
): Promise<PublicUser[]> {
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

/**
 * Changes a role or the disabled flag, never leaving no enabled admin. In one transaction (a
 * savepoint inside the caller's), the enabled admins' rows are locked in id order before they are
 * counted: two admins disabling or demoting each other at once are serialised, and the second sees
 * the first's change. `actorId` (an admin acting from the console) must still be an enabled admin.
 */
async function changeStanding(
  db: Db,
  id: string,
  values: { disabled?: boolean; role?: Role },
  opts: { actorId?: string | null },
): Promise<PublicUser> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    const admins = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.disabled, false)))
      .orderBy(asc(users.id))
      .for('update');
    const enabledAdmins = new Set(admins.map((a) => a.id));
    if (opts.actorId && !enabledAdmins.has(opts.actorId)) {
      throw new UserError('not_admin', 'You are no longer an administrator, so this change was not made.');
    }
    const [target] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!target) throw new UserError('not_found', 'No such user.');
    const staysAdmin = (values.role ?? target.role) === 'admin' && !(values.disabled ?? target.disabled);
    if (enabledAdmins.has(id) && !staysAdmin && enabledAdmins.size <= 1) {
      throw new UserError(
        'last_admin',
        values.disabled
          ? 'This is the only active administrator, so it cannot be disabled. Promote someone else first.'
          : 'This is the only administrator. Promote someone else first.',
      );
    }
    return updateUser(tx, id, values);
  });
}

export function setDisabled(
  db: Db,
  id: string,
  disabled: boolean,
  opts: { actorId?: string | null } = {},
): Promise<PublicUser> {
  return changeStanding(db, id, { disabled }, opts);
}

export function setRole(db: Db, id: string, role: Role, opts: { actorId?: string | null } = {}): Promise<PublicUser> {
  return changeStanding(db, id, { role }, opts);
}

export type FirstAdminResult =
  | { outcome: 'exists' }
  | { outcome: 'created'; user: PublicUser }
  /** `reason`: one sentence for the operator. Nothing was changed. */
  | { outcome: 'refused'; reason: string };

/**
 * The first admin, for `npm start` (ADMIN_EMAIL / ADMIN_PASSWORD): created when no enabled admin
 * exists. An existing account is never promoted — whoever signed up first with that address would
 * otherwise become the admin, keeping their own password — so then it says why in one sentence.
 */
export async function ensureFirstAdmin(db: Db, input: { email: string; password: string }): Promise<FirstAdminResult> {
  if ((await countAdmins(db)) > 0) return { outcome: 'exists' };
  const email = normalizeEmail(input.email);
  const refused = (u: PublicUser): FirstAdminResult => ({
    outcome: 'refused',
    reason:
      u.role === 'admin'
        ? `No administrator was created: ADMIN_EMAIL (${email}) names a disabled administrator account, which is not enabled automatically; set ADMIN_EMAIL to an address without an account.`
        : `No administrator was created: an account with ADMIN_EMAIL (${email}) already exists and is not an administrator, and existing accounts are never promoted; set ADMIN_EMAIL to an address without an account.`,
  });
  const existing = await findUserByEmail(db, email);
  if (existing) return refused(existing);
  try {
    return {
      outcome: 'created',
      user: await createUser(db, { email, password: input.password, name: 'Administrator', role: 'admin' }),
    };
  } catch (e) {
    if (!(e instanceof UserError) || e.code !== 'email_taken') throw e;
    // Created meanwhile: by another replica starting (then an admin exists), or by a sign-up.
    if ((await countAdmins(db)) > 0) return { outcome: 'exists' };
    const again = await findUserByEmail(db, email);
    if (again) return refused(again);
    throw e;
  }
}
