/**
 * Sign-in rules that live in the database layer: how an SSO identity finds, attaches to or creates
 * an account (email_verified required to attach; attaching ends password sign-in and older
 * sessions, audited), the first admin (never by promotion), the last-admin rule, and password
 * checks that cost the same time whether or not the email has an account.
 */
import { parseOptions } from '@node-rs/argon2';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../src/queries/audit';
import { findUserBySsoIdentity, ssoSignIn } from '../src/queries/sso';
import {
  countAdmins,
  createUser,
  DUMMY_PASSWORD_HASH,
  ensureFirstAdmin,
  findUserByEmail,
  hashPassword,
  PASSWORD_HASH_OPTIONS,
  setDisabled,
  setRole,
  verifyPassword,
} from '../src/queries/users';
import { users } from '../src/schema';
import { DB_KINDS, withTestDb } from './support';
import { type ProcessResult, runTsx } from './support/cli';

const ISSUER = 'https://sso.example.com/realms/acme';

describe.each(DB_KINDS)('SSO sign-in on %s', (kind) => {
  const ctx = withTestDb(kind);

  it('refuses to attach to an existing account without email_verified, and changes nothing', async () => {
    const pat = await createUser(ctx.db, { email: 'pat@example.com', password: 'pats own password' });
    const out = await ssoSignIn(
      ctx.db,
      { issuer: ISSUER, subject: 'sub-pat', email: 'Pat@Example.com', emailVerified: false },
      { mayCreate: true },
    );
    expect(out).toEqual({ ok: false, reason: 'email_unverified' });
    expect(await verifyPassword(ctx.db, 'pat@example.com', 'pats own password')).toMatchObject({
      id: pat.id,
      sessionVersion: 0,
      oidcSubject: null,
    });
    expect(await listAudit(ctx.db, { targetUserId: pat.id })).toEqual([]);
  });

  it('with email_verified: attaches, turns password sign-in off, ends other sessions, audits', async () => {
    const pat = (await findUserByEmail(ctx.db, 'pat@example.com'))!;
    const out = await ssoSignIn(
      ctx.db,
      { issuer: ISSUER, subject: 'sub-pat', email: 'pat@example.com', emailVerified: true, name: 'Pat' },
      { mayCreate: false },
    );
    expect(out).toMatchObject({
      ok: true,
      how: 'linked',
      user: { id: pat.id, oidcIssuer: ISSUER, oidcSubject: 'sub-pat', sessionVersion: 1 },
    });
    expect(await verifyPassword(ctx.db, 'pat@example.com', 'pats own password')).toBeNull();
    const [row] = await ctx.db.select().from(users).where(eq(users.id, pat.id));
    expect(row!.passwordHash).toBeNull();
    const audit = await listAudit(ctx.db, { targetUserId: pat.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'user.sso_link',
      actorId: pat.id,
      details: { hadPassword: true, sessionsEnded: true, issuer: ISSUER, subject: 'sub-pat' },
    });

    // Back again: found by its identity, verified or not, and nothing is bumped again.
    const again = await ssoSignIn(
      ctx.db,
      { issuer: ISSUER, subject: 'sub-pat', email: 'pat@example.com', emailVerified: false },
      { mayCreate: false },
    );
    expect(again).toMatchObject({ ok: true, how: 'returning', user: { id: pat.id, sessionVersion: 1 } });
    expect(await findUserBySsoIdentity(ctx.db, ISSUER, 'sub-pat')).toMatchObject({ id: pat.id });
  });

  it('refuses another identity of the same provider for a bound account; another provider may re-attach when verified', async () => {
    const other = await ssoSignIn(
      ctx.db,
      { issuer: ISSUER, subject: 'sub-someone-else', email: 'pat@example.com', emailVerified: true },
      { mayCreate: true },
    );
    expect(other).toEqual({ ok: false, reason: 'linked_elsewhere' });
    const moved = await ssoSignIn(
      ctx.db,
      { issuer: 'https://new-idp.example.com', subject: 'p-9', email: 'pat@example.com', emailVerified: true },
      { mayCreate: true },
    );
    expect(moved).toMatchObject({
      ok: true,
      how: 'linked',
      user: { oidcIssuer: 'https://new-idp.example.com', oidcSubject: 'p-9', sessionVersion: 2 },
    });
  });

  it('creates new accounts without a password only when allowed, and refuses disabled ones', async () => {
    const closed = await ssoSignIn(
      ctx.db,
      { issuer: ISSUER, subject: 'sub-new', email: 'new@example.com', emailVerified: false },
      { mayCreate: false },
    );
    expect(closed).toEqual({ ok: false, reason: 'signup_closed' });
    expect(await findUserByEmail(ctx.db, 'new@example.com')).toBeNull();
    const made = await ssoSignIn(
      ctx.db,
      { issuer: ISSUER, subject: 'sub-new', email: 'new@example.com', emailVerified: false, name: 'New' },
      { mayCreate: true },
    );
    expect(made).toMatchObject({
      ok: true,
      how: 'created',
      user: { email: 'new@example.com', name: 'New', role: 'user', oidcSubject: 'sub-new' },
    });
    // An SSO-only account has no password to guess.
    expect(await verifyPassword(ctx.db, 'new@example.com', '')).toBeNull();

    const gone = await createUser(ctx.db, { email: 'gone@example.com', password: 'correct horse battery' });
    await setDisabled(ctx.db, gone.id, true);
    expect(
      await ssoSignIn(
        ctx.db,
        { issuer: ISSUER, subject: 'sub-gone', email: 'gone@example.com', emailVerified: true },
        { mayCreate: true },
      ),
    ).toEqual({ ok: false, reason: 'disabled' });
  });
});

describe.each(DB_KINDS)('first admin and last admin on %s', (kind) => {
  const ctx = withTestDb(kind);

  it('never promotes an existing account: says why in one sentence and changes nothing', async () => {
    const early = await createUser(ctx.db, { email: 'boss@example.com', password: 'chosen by whoever came first' });
    const out = await ensureFirstAdmin(ctx.db, { email: 'Boss@Example.com', password: 'operator password' });
    expect(out.outcome).toBe('refused');
    const reason = out.outcome === 'refused' ? out.reason : '';
    expect(reason).toMatch(
      /^No administrator was created: an account with ADMIN_EMAIL \(boss@example\.com\) already exists and is not an administrator.*\.$/,
    );
    expect(reason).not.toContain('\n');
    expect(await findUserByEmail(ctx.db, 'boss@example.com')).toMatchObject({ id: early.id, role: 'user' });
    expect(await verifyPassword(ctx.db, 'boss@example.com', 'chosen by whoever came first')).toMatchObject({
      id: early.id,
    });
    expect(await countAdmins(ctx.db)).toBe(0);

    // A disabled administrator is not quietly enabled either.
    const old = await createUser(ctx.db, {
      email: 'old-admin@example.com',
      password: 'old admin password',
      role: 'admin',
    });
    await ctx.db.update(users).set({ disabled: true }).where(eq(users.id, old.id));
    const again = await ensureFirstAdmin(ctx.db, { email: 'old-admin@example.com', password: 'operator password' });
    expect(again).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/disabled administrator/) });
    expect(await countAdmins(ctx.db)).toBe(0);
  });

  it('creates the admin with the given password when the address is free, once', async () => {
    const out = await ensureFirstAdmin(ctx.db, { email: 'admin@example.com', password: 'operator password' });
    expect(out).toMatchObject({ outcome: 'created', user: { email: 'admin@example.com', role: 'admin' } });
    expect(await verifyPassword(ctx.db, 'admin@example.com', 'operator password')).toMatchObject({ role: 'admin' });
    expect(
      await ensureFirstAdmin(ctx.db, { email: 'someone-else@example.com', password: 'operator password' }),
    ).toEqual({
      outcome: 'exists',
    });
    expect(await findUserByEmail(ctx.db, 'someone-else@example.com')).toBeNull();
  });

  it('never disables or demotes the last enabled admin; an admin no longer enabled cannot act', async () => {
    const admin = (await findUserByEmail(ctx.db, 'admin@example.com'))!;
    await expect(setDisabled(ctx.db, admin.id, true)).rejects.toMatchObject({
      code: 'last_admin',
      message: expect.stringMatching(/only active administrator/),
    });
    await expect(setRole(ctx.db, admin.id, 'user')).rejects.toMatchObject({ code: 'last_admin' });
    const second = await createUser(ctx.db, {
      email: 'second@example.com',
      password: 'second admin pw',
      role: 'admin',
    });
    await setRole(ctx.db, second.id, 'user', { actorId: admin.id });
    await expect(setRole(ctx.db, admin.id, 'user', { actorId: second.id })).rejects.toMatchObject({
      code: 'not_admin',
    });
    expect(await countAdmins(ctx.db)).toBe(1);
  });
});

describe('the ensure-admin start-up script (PostgreSQL)', () => {
  const ctx = withTestDb('postgres');

  function ensureAdmin(env: Record<string, string>): Promise<ProcessResult> {
    return runTsx('scripts/lib/ensure-admin.ts', { DATABASE_URL: ctx.url!, ...env });
  }

  it('prints one line saying why when ADMIN_EMAIL is taken, then creates the admin at a free address', async () => {
    await createUser(ctx.db, { email: 'taken@example.com', password: 'squatter password' });
    const refused = await ensureAdmin({ ADMIN_EMAIL: 'taken@example.com', ADMIN_PASSWORD: 'operator password' });
    expect(refused.code, refused.stderr).toBe(0);
    expect(refused.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(refused.stdout)).toEqual({
      created: false,
      reason: expect.stringContaining('taken@example.com'),
    });
    expect(await findUserByEmail(ctx.db, 'taken@example.com')).toMatchObject({ role: 'user' });

    const made = await ensureAdmin({ ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'operator password' });
    expect(JSON.parse(made.stdout)).toEqual({ created: true, email: 'root@example.com', password: null });
    expect(await verifyPassword(ctx.db, 'root@example.com', 'operator password')).toMatchObject({ role: 'admin' });
  }, 300_000);
});

describe('password checks take as long for unknown emails (PGlite)', () => {
  const ctx = withTestDb('pglite');

  it('the dummy hash has the same argon2 cost as a real one', async () => {
    const real = await hashPassword('any password at all');
    expect(real.startsWith('$argon2id$v=19$')).toBe(true);
    expect(DUMMY_PASSWORD_HASH.startsWith('$argon2id$v=19$')).toBe(true);
    expect(parseOptions(DUMMY_PASSWORD_HASH)).toEqual(parseOptions(real));
    expect(parseOptions(real)).toMatchObject(PASSWORD_HASH_OPTIONS);
  });

  it('a hash stored by the previous library (node-argon2, its PHC field order) still verifies', async () => {
    // Made by argon2@0.45.1: argon2.hash('correct horse battery staple', { type: argon2.argon2id }).
    const legacy = '$argon2id$v=19$m=65536,p=4,t=3$lm4pL9FlLaM83oIxCcwPPw$7HSlSwUFTFo6CD84bF3lt0kJz54O7Uv/sBgd+7ccCsM';
    expect(parseOptions(legacy)).toMatchObject(PASSWORD_HASH_OPTIONS);
    const old = await createUser(ctx.db, { email: 'legacy@example.com', password: 'placeholder password' });
    await ctx.db.update(users).set({ passwordHash: legacy }).where(eq(users.id, old.id));
    expect(await verifyPassword(ctx.db, 'legacy@example.com', 'correct horse battery staple')).toMatchObject({
      id: old.id,
    });
    expect(await verifyPassword(ctx.db, 'legacy@example.com', 'correct horse battery stapler')).toBeNull();
  });

  it('unknown, disabled and password-less emails cost what a wrong password costs', async () => {
    await createUser(ctx.db, { email: 'known@example.com', password: 'the right password' });
    const off = await createUser(ctx.db, { email: 'off@example.com', password: 'the right password' });
    await setDisabled(ctx.db, off.id, true);
    await ssoSignIn(
      ctx.db,
      { issuer: ISSUER, subject: 's', email: 'sso@example.com', emailVerified: true },
      { mayCreate: true },
    );

    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      expect(await verifyPassword(ctx.db, email, 'a wrong password')).toBeNull();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const samples: Record<string, number[]> = { known: [], unknown: [], disabled: [], sso: [] };
    await time('known@example.com'); // warm-up
    for (let i = 0; i < 5; i++) {
      samples.known!.push(await time('known@example.com'));
      samples.unknown!.push(await time(`nobody-${i}@example.com`));
      samples.disabled!.push(await time('off@example.com'));
      samples.sso!.push(await time('sso@example.com'));
    }
    const known = median(samples.known!);
    // Without a verification an unknown email answers in about a millisecond against tens for argon2.
    expect(known).toBeGreaterThan(5);
    for (const other of ['unknown', 'disabled', 'sso']) {
      const ratio = median(samples[other]!) / known;
      expect(
        ratio,
        `${other}: ${median(samples[other]!).toFixed(1)} ms vs known ${known.toFixed(1)} ms`,
      ).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    }
  }, 120_000);
});
