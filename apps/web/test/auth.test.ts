/**
 * next-auth configuration: the credentials check and its throttle, the OIDC sign-in rules (SIGNUP,
 * disabled accounts, email_verified), what the JWT/session carry and when an older token stops
 * working, and where a sign-in may send the browser. Runs against a real PostgreSQL database
 * through the app's own process-wide getDb(). The whole OIDC flow over HTTP, with a provider of
 * our own, is in auth-sso.http.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTestDb } from '@bgr/db/test/support';
import { closeDb } from '@bgr/db/client';
import { createUser, findUserByEmail, setDisabled, setRole } from '@bgr/db/queries/users';
import { ssoSignIn } from '@bgr/db/queries/sso';
import type { NextAuthOptions } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import { SIGN_IN_THROTTLED, signInErrorMessage } from '~/lib/sign-in-messages';
import { localPath } from '~/lib/local-path';

const ISSUER = 'https://sso.example.com/realms/acme';
const t = withTestDb('postgres');
let authOptions: NextAuthOptions;
const saved = { ...process.env };

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  process.env.OIDC_ISSUER = `${ISSUER}/`;
  process.env.OIDC_CLIENT_ID = 'bgr';
  process.env.OIDC_CLIENT_SECRET = 'secret';
  delete process.env.TRUSTED_PROXIES;
  vi.resetModules();
  ({ authOptions } = await import('~/server/auth'));
  await createUser(t.db, { email: 'pat@example.com', password: 'correct horse battery', name: 'Pat' });
  const gone = await createUser(t.db, { email: 'gone@example.com', password: 'correct horse battery' });
  await setDisabled(t.db, gone.id, true);
});

afterEach(() => {
  vi.useRealTimers();
  process.env.SIGNUP = saved.SIGNUP;
  if (saved.SIGNUP === undefined) delete process.env.SIGNUP;
});

afterAll(async () => {
  await closeDb();
  for (const k of ['DATABASE_URL', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

type Authorize = (
  c: Record<string, string>,
  req?: { headers: Record<string, string> },
) => Promise<{ id: string; role?: string; email?: string } | null>;
/** As next-auth calls it; `from` is the client address (the server appends the socket peer to X-Forwarded-For). */
const authorize = (creds: Record<string, string>, from = '192.0.2.1') =>
  (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize(creds, {
    headers: { 'x-forwarded-for': from },
  });

type SignIn = (p: {
  user: { id: string; email?: string | null; name?: string | null };
  account: { provider: string; providerAccountId: string } | null;
  profile?: Record<string, unknown>;
}) => Promise<boolean | string>;
const oidcSignIn = (email: string | null, opts: { name?: string; sub?: string; verified?: unknown } = {}) =>
  (authOptions.callbacks!.signIn as unknown as SignIn)({
    user: { id: opts.sub ?? 'sub-1', email, name: opts.name ?? 'Someone' },
    account: { provider: 'oidc', providerAccountId: opts.sub ?? 'sub-1' },
    profile: {
      sub: opts.sub ?? 'sub-1',
      email,
      ...(opts.verified === undefined ? {} : { email_verified: opts.verified }),
    },
  });

const jwt = (p: Record<string, unknown>) =>
  (authOptions.callbacks!.jwt as unknown as (p: Record<string, unknown>) => Promise<JWT>)(p);
const session = (token: JWT) =>
  (authOptions.callbacks!.session as unknown as (p: Record<string, unknown>) => Promise<Record<string, unknown>>)({
    session: { user: { email: token.email }, expires: '' },
    token,
  });

describe('email and password', () => {
  it('signs in with the right password, whatever the case of the email', async () => {
    expect(await authorize({ email: ' PAT@example.com', password: 'correct horse battery' })).toMatchObject({
      email: 'pat@example.com',
      role: 'user',
    });
  });
  it('refuses a wrong password, an unknown email and a disabled account', async () => {
    expect(await authorize({ email: 'pat@example.com', password: 'wrong horse battery' })).toBeNull();
    expect(await authorize({ email: 'nobody@example.com', password: 'correct horse battery' })).toBeNull();
    expect(await authorize({ email: 'gone@example.com', password: 'correct horse battery' })).toBeNull();
  });
});

describe('sign-in throttling (10 failures in 15 minutes)', () => {
  it('per email: the 11th attempt is refused with a sentence, even with the right password, and works after the window', async () => {
    await createUser(t.db, { email: 'target@example.com', password: 'the real password' });
    // From ten different addresses: it is the email's count that fills.
    for (let i = 0; i < 10; i++)
      expect(await authorize({ email: 'target@example.com', password: `guess ${i}` }, `198.51.100.${i}`)).toBeNull();
    await expect(
      authorize({ email: 'Target@example.com', password: 'the real password' }, '198.51.100.50'),
    ).rejects.toThrow(SIGN_IN_THROTTLED);
    expect(signInErrorMessage(SIGN_IN_THROTTLED)).toMatch(/^Too many failed sign-in attempts.*\.$/);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 15 * 60_000 + 1_000);
    expect(
      await authorize({ email: 'target@example.com', password: 'the real password' }, '198.51.100.50'),
    ).toMatchObject({ email: 'target@example.com' });
  });

  it('per address: 10 failures from one address refuse the 11th for any email; other addresses are not affected', async () => {
    await createUser(t.db, { email: 'victim@example.com', password: 'victims password' });
    for (let i = 0; i < 10; i++)
      expect(await authorize({ email: `spray-${i}@example.com`, password: 'Summer2026!' }, '203.0.113.7')).toBeNull();
    await expect(
      authorize({ email: 'victim@example.com', password: 'victims password' }, '203.0.113.7'),
    ).rejects.toThrow(SIGN_IN_THROTTLED);
    expect(await authorize({ email: 'victim@example.com', password: 'victims password' }, '203.0.113.8')).toMatchObject(
      { email: 'victim@example.com' },
    );
  });

  it('a correct password forgets the email’s failures; only failures count', async () => {
    await createUser(t.db, { email: 'forgetful@example.com', password: 'finally right' });
    for (let i = 0; i < 9; i++)
      expect(
        await authorize({ email: 'forgetful@example.com', password: `nope ${i}` }, `192.0.2.${100 + i}`),
      ).toBeNull();
    // Successes do not count either: many in a row stay allowed.
    for (let i = 0; i < 12; i++)
      expect(
        await authorize({ email: 'forgetful@example.com', password: 'finally right' }, '192.0.2.200'),
      ).not.toBeNull();
    for (let i = 0; i < 10; i++)
      expect(
        await authorize({ email: 'forgetful@example.com', password: `nope again ${i}` }, `192.0.2.${120 + i}`),
      ).toBeNull();
    await expect(
      authorize({ email: 'forgetful@example.com', password: 'finally right' }, '192.0.2.201'),
    ).rejects.toThrow(SIGN_IN_THROTTLED);
  });
});

describe('single sign-on (OIDC) callbacks', () => {
  it('is offered when the three OIDC settings are present', () => {
    expect(authOptions.providers.map((p) => p.id)).toEqual(['credentials', 'oidc']);
  });

  it('SIGNUP=open or invite: the first SSO sign-in creates the account, verified or not', async () => {
    process.env.SIGNUP = 'invite';
    expect(await oidcSignIn('New.Hire@Example.com', { name: 'New Hire', sub: 'sub-new-hire' })).toBe(true);
    expect(await findUserByEmail(t.db, 'new.hire@example.com')).toMatchObject({
      name: 'New Hire',
      role: 'user',
      oidcIssuer: ISSUER,
      oidcSubject: 'sub-new-hire',
    });
  });

  it('SIGNUP=off: SSO signs in existing accounts only', async () => {
    process.env.SIGNUP = 'off';
    expect(await oidcSignIn('stranger@example.com', { sub: 'sub-stranger', verified: true })).toBe(
      '/signin?error=SignupClosed',
    );
    expect(await findUserByEmail(t.db, 'stranger@example.com')).toBeNull();
    expect(await oidcSignIn('new.hire@example.com', { sub: 'sub-new-hire' })).toBe(true);
  });

  it('an existing password account: refused without email_verified (also "false"), attached with it', async () => {
    await createUser(t.db, { email: 'colleague@example.com', password: 'squatters password' });
    expect(await oidcSignIn('colleague@example.com', { sub: 'sub-colleague' })).toBe(
      '/signin?error=SsoEmailUnverified',
    );
    expect(await oidcSignIn('colleague@example.com', { sub: 'sub-colleague', verified: false })).toBe(
      '/signin?error=SsoEmailUnverified',
    );
    expect(await oidcSignIn('colleague@example.com', { sub: 'sub-colleague', verified: 'false' })).toBe(
      '/signin?error=SsoEmailUnverified',
    );
    expect(signInErrorMessage('SsoEmailUnverified')).toMatch(/^An account with your email address already exists.*\.$/);
    expect(await authorize({ email: 'colleague@example.com', password: 'squatters password' })).not.toBeNull();

    expect(await oidcSignIn('colleague@example.com', { sub: 'sub-colleague', verified: true })).toBe(true);
    expect(await findUserByEmail(t.db, 'colleague@example.com')).toMatchObject({
      oidcSubject: 'sub-colleague',
      sessionVersion: 1,
    });
    // Password sign-in is off for it now.
    expect(await authorize({ email: 'colleague@example.com', password: 'squatters password' })).toBeNull();
  });

  it('refuses disabled accounts and identities without an email', async () => {
    expect(await oidcSignIn('gone@example.com', { verified: true, sub: 'sub-gone' })).toBe(
      '/signin?error=AccountDisabled',
    );
    expect(await oidcSignIn(null)).toBe('/signin?error=OidcNoEmail');
  });

  it('the session carries our user id and role, not the provider subject', async () => {
    const hire = (await findUserByEmail(t.db, 'new.hire@example.com'))!;
    const token = await jwt({
      token: {},
      user: { id: 'sub-new-hire', email: 'new.hire@example.com' },
      account: { provider: 'oidc', providerAccountId: 'sub-new-hire' },
    });
    expect(token).toMatchObject({ id: hire.id, role: 'user', sv: 0 });
    const s = await session(token);
    expect(s.user).toMatchObject({ id: hire.id, role: 'user' });
  });
});

describe('sessions (JWTs re-checked on every read)', () => {
  it('a token issued before the account was attached to SSO carries nothing afterwards; the new one works', async () => {
    const dana = await createUser(t.db, { email: 'dana@example.com', password: 'danas password' });
    const signedIn = await authorize({ email: 'dana@example.com', password: 'danas password' });
    const old = await jwt({
      token: { email: 'dana@example.com' },
      user: signedIn,
      account: { provider: 'credentials' },
    });
    expect(old).toMatchObject({ id: dana.id, sv: 0 });
    expect(await jwt({ token: old })).toMatchObject({ id: dana.id });

    expect(await oidcSignIn('dana@example.com', { sub: 'sub-dana', verified: true })).toBe(true);
    const fresh = await jwt({
      token: {},
      user: { id: 'sub-dana', email: 'dana@example.com' },
      account: { provider: 'oidc', providerAccountId: 'sub-dana' },
    });
    expect(fresh).toMatchObject({ id: dana.id, sv: 1 });

    const replayed = await jwt({ token: old });
    expect(replayed.id).toBeUndefined();
    expect(await session(replayed)).toEqual({});
    expect(await jwt({ token: fresh })).toMatchObject({ id: dana.id, sv: 1 });
    // A token from before session versions existed is version 0: also ended.
    expect((await jwt({ token: { id: dana.id } })).id).toBeUndefined();
  });

  it('a disabled account’s token carries nothing; a changed role is read fresh', async () => {
    await createUser(t.db, { email: 'root@example.com', password: 'root password', role: 'admin' });
    const eve = await createUser(t.db, { email: 'eve@example.com', password: 'eves password' });
    const token = await jwt({
      token: {},
      user: await authorize({ email: 'eve@example.com', password: 'eves password' }),
      account: { provider: 'credentials' },
    });
    await setRole(t.db, eve.id, 'admin');
    expect(await jwt({ token })).toMatchObject({ id: eve.id, role: 'admin' });
    await setRole(t.db, eve.id, 'user');
    await setDisabled(t.db, eve.id, true);
    expect((await jwt({ token })).id).toBeUndefined();
  });

  it('the database outcome and the callback agree (linked elsewhere is a sentence too)', async () => {
    await ssoSignIn(
      t.db,
      { issuer: ISSUER, subject: 'sub-frank', email: 'frank@example.com', emailVerified: true },
      { mayCreate: true },
    );
    expect(await oidcSignIn('frank@example.com', { sub: 'sub-not-frank', verified: true })).toBe(
      '/signin?error=SsoLinkedElsewhere',
    );
    expect(signInErrorMessage('SsoLinkedElsewhere')).toMatch(/\.$/);
  });
});

describe('where a sign-in may send the browser', () => {
  const redirect = (url: string, baseUrl = 'https://bgr.example.com') =>
    (authOptions.callbacks!.redirect as unknown as (p: { url: string; baseUrl: string }) => Promise<string>)({
      url,
      baseUrl,
    });

  const EVIL = [
    '/\\evil.example',
    '/%5Cevil.example',
    '//evil.example',
    'https://evil.example',
    '/%2F%2Fevil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/.//evil.example',
    'javascript:alert(1)',
    'https://bgr.example.com@evil.example/',
  ];

  it.each(EVIL)('next-auth redirect callback keeps %j on this site', async (raw) => {
    for (const candidate of [raw, decodeURIComponent(raw)]) {
      const out = new URL(await redirect(candidate));
      expect(out.origin).toBe('https://bgr.example.com');
      expect(out.pathname.startsWith('//')).toBe(false);
      expect(out.href).not.toContain('\\');
    }
  });

  it.each(EVIL)('the sign-in page turns %j into a local path', (raw) => {
    for (const candidate of [raw, decodeURIComponent(raw)]) {
      const path = localPath(candidate);
      expect(path.startsWith('/')).toBe(true);
      expect(path.startsWith('//')).toBe(false);
      expect(path).not.toContain('\\');
      // What a browser does with it from our page: stays on our origin.
      expect(new URL(path, 'https://bgr.example.com/signin').origin).toBe('https://bgr.example.com');
    }
  });

  it('keeps ordinary paths, queries and same-origin absolute URLs', async () => {
    expect(localPath('/admin')).toBe('/admin');
    expect(localPath('/dashboard?tab=usage#top')).toBe('/dashboard?tab=usage#top');
    expect(localPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
    expect(localPath(undefined)).toBe('/');
    expect(localPath(['/a', '/b'])).toBe('/');
    expect(await redirect('/api-keys')).toBe('https://bgr.example.com/api-keys');
    expect(await redirect('https://bgr.example.com/dashboard')).toBe('https://bgr.example.com/dashboard');
  });
});
