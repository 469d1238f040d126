/**
 * Signing in through the company's OIDC provider (SSO), and how such a sign-in finds its account.
 *
 * Why its own rules: an email address alone proves nothing (self sign-up does not verify it), so
 * an SSO identity is bound to an account by the provider's issuer and subject. A new identity
 * attaches to an existing account with its email only when the provider asserts that the email is
 * verified; attaching then turns password sign-in off (whoever chose that password may not own
 * the address), ends the account's other sessions (session_version + 1) and is audited. Without
 * that assertion the sign-in is refused. Accounts new to us are created without a password when
 * the caller allows it (the SIGNUP mode).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { users, type User } from '../schema';
import { writeAudit } from './audit';
import { normalizeEmail, type PublicUser } from './users';

export interface SsoIdentity {
  /** The provider's issuer URL, as configured. */
  issuer: string;
  /** The provider's `sub` for this person. */
  subject: string;
  email: string;
  /** True only when the provider asserted `email_verified`. */
  emailVerified: boolean;
  name?: string | null;
}

export type SsoRefusal = 'disabled' | 'email_unverified' | 'linked_elsewhere' | 'signup_closed';

export type SsoOutcome =
  | { ok: true; user: PublicUser; how: 'returning' | 'linked' | 'created' }
  | { ok: false; reason: SsoRefusal };

function toPublic(row: User): PublicUser {
  const { passwordHash: _omit, ...rest } = row;
  return rest;
}

function byIdentity(db: Db, id: SsoIdentity) {
  return db
    .select()
    .from(users)
    .where(and(eq(users.oidcIssuer, id.issuer), eq(users.oidcSubject, id.subject)))
    .for('update');
}

/** Finds, attaches or creates the account for an SSO sign-in, in one transaction. */
export async function ssoSignIn(db: Db, id: SsoIdentity, opts: { mayCreate: boolean }): Promise<SsoOutcome> {
  const email = normalizeEmail(id.email);
  return db.transaction(async (txn): Promise<SsoOutcome> => {
    const tx = txn as unknown as Db;
    const [bound] = await byIdentity(tx, id);
    if (bound) {
      if (bound.disabled) return { ok: false, reason: 'disabled' };
      return { ok: true, user: toPublic(bound), how: 'returning' };
    }

    const [existing] = await tx.select().from(users).where(eq(users.email, email)).for('update');
    if (existing) {
      if (existing.disabled) return { ok: false, reason: 'disabled' };
      if (!id.emailVerified) return { ok: false, reason: 'email_unverified' };
      // The same provider already vouched for another person with this account.
      if (existing.oidcIssuer === id.issuer && existing.oidcSubject) return { ok: false, reason: 'linked_elsewhere' };
      const [row] = await tx
        .update(users)
        .set({
          oidcIssuer: id.issuer,
          oidcSubject: id.subject,
          passwordHash: null,
          sessionVersion: sql`${users.sessionVersion} + 1`,
          name: existing.name ?? id.name ?? null,
        })
        .where(eq(users.id, existing.id))
        .returning();
      await writeAudit(tx, {
        actorId: existing.id,
        action: 'user.sso_link',
        targetUserId: existing.id,
        details: {
          email,
          issuer: id.issuer,
          subject: id.subject,
          hadPassword: existing.passwordHash !== null,
          sessionsEnded: true,
        },
      });
      return { ok: true, user: toPublic(row!), how: 'linked' };
    }

    if (!opts.mayCreate) return { ok: false, reason: 'signup_closed' };
    const [created] = await tx
      .insert(users)
      .values({
        email,
        name: id.name ?? null,
        role: 'user',
        passwordHash: null,
        oidcIssuer: id.issuer,
        oidcSubject: id.subject,
      })
      .onConflictDoNothing()
      .returning();
    if (created) return { ok: true, user: toPublic(created), how: 'created' };
    // Two first sign-ins at once: the other one created it (the conflict waited for its commit).
    const [again] = await byIdentity(tx, id);
    if (again && !again.disabled) return { ok: true, user: toPublic(again), how: 'returning' };
    throw new Error(
      'The account could not be created because another one with this email was created at the same moment. Please sign in again.',
    );
  });
}

/** The account bound to an SSO identity, or null. */
export async function findUserBySsoIdentity(db: Db, issuer: string, subject: string): Promise<PublicUser | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.oidcIssuer, issuer), eq(users.oidcSubject, subject)));
  return row ? toPublic(row) : null;
}
