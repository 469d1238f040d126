/**
 * Sign-in over real HTTP through next-auth's own handler, with an OpenID Connect provider served
 * by this test on loopback (discovery, JWKS, authorize, token with PKCE, userinfo): SSO creates,
 * refuses or attaches accounts by `email_verified`, attaching ends the account's older sessions
 * and its password; the credentials throttle answers 429; callbackUrl never leaves the site.
 * PostgreSQL, TRUSTED_PROXIES=127.0.0.1 so each test can speak for its own client address.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTestDb } from '@bgr/db/test/support';
import { closeDb } from '@bgr/db/client';
import { listAudit } from '@bgr/db/queries/audit';
import { createUser, findUserByEmail } from '@bgr/db/queries/users';
import type { NextAuthOptions } from 'next-auth';
import { startFakeOidc, type Claims, type FakeOidc } from './support/fake-oidc';
import { CookieJar, startNextAuthServer, type NextAuthServer } from './support/next-auth-server';

const t = withTestDb('postgres');
let idp: FakeOidc;
let app: NextAuthServer;
const saved = { ...process.env };
const ENV = [
  'DATABASE_URL',
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'NEXTAUTH_URL',
  'NEXTAUTH_SECRET',
  'TRUSTED_PROXIES',
  'SIGNUP',
];

beforeAll(async () => {
  idp = await startFakeOidc();
  process.env.DATABASE_URL = t.url;
  process.env.OIDC_ISSUER = idp.issuer;
  process.env.OIDC_CLIENT_ID = idp.clientId;
  process.env.OIDC_CLIENT_SECRET = idp.clientSecret;
  process.env.NEXTAUTH_SECRET = 'a test secret that is long enough for next-auth';
  process.env.TRUSTED_PROXIES = '127.0.0.1';
  delete process.env.SIGNUP;
  vi.resetModules();
  const { authOptions } = (await import('~/server/auth')) as { authOptions: NextAuthOptions };
  app = await startNextAuthServer(authOptions);
  process.env.NEXTAUTH_URL = app.origin;
});

afterAll(async () => {
  await app?.close();
  await idp?.close();
  await closeDb();
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function csrf(jar: CookieJar): Promise<string> {
  return ((await (await jar.fetch(`${app.origin}/api/auth/csrf`)).json()) as { csrfToken: string }).csrfToken;
}

const form = (fields: Record<string, string>, from: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
  body: new URLSearchParams(fields).toString(),
});

/** The browser's side of an SSO sign-in: start, the provider's login page, back to our callback. */
async function ssoSignIn(login: { idToken: Claims; userinfo?: Claims }, callbackUrl = '/dashboard') {
  const jar = new CookieJar();
  const start = await jar.fetch(
    `${app.origin}/api/auth/signin/oidc`,
    form({ csrfToken: await csrf(jar), callbackUrl, json: 'true' }, '192.0.2.10'),
  );
  expect(start.status).toBe(200);
  const { url: authorizeUrl } = (await start.json()) as { url: string };
  expect(authorizeUrl.startsWith(`${idp.issuer}/authorize?`)).toBe(true);
  idp.next(login);
  const atProvider = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  const back = await jar.fetch(atProvider.headers.get('location')!);
  expect(back.status).toBe(302);
  return { jar, location: back.headers.get('location')! };
}

async function passwordSignIn(email: string, password: string, from: string, callbackUrl = '/') {
  const jar = new CookieJar();
  const res = await jar.fetch(
    `${app.origin}/api/auth/callback/credentials`,
    form({ csrfToken: await csrf(jar), email, password, callbackUrl, json: 'true' }, from),
  );
  const body = (await res.json()) as { url: string };
  return {
    jar,
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    url: body.url,
    error: new URL(body.url).searchParams.get('error'),
  };
}

async function sessionOf(jar: CookieJar): Promise<{ user?: { id: string; email: string; role: string } }> {
  return (await (await jar.fetch(`${app.origin}/api/auth/session`)).json()) as {
    user?: { id: string; email: string; role: string };
  };
}

describe('single sign-on through a real OIDC provider', () => {
  it('a new person: the account is created (SIGNUP=open), the session is ours, every provider step was used', async () => {
    const before = { ...idp.served };
    const { jar, location } = await ssoSignIn({
      idToken: { sub: 'idp-ann', email: 'Ann@Example.com', email_verified: false, name: 'Ann' },
    });
    expect(location).toBe(`${app.origin}/dashboard`);
    const ann = await findUserByEmail(t.db, 'ann@example.com');
    expect(ann).toMatchObject({ name: 'Ann', role: 'user', oidcIssuer: idp.issuer, oidcSubject: 'idp-ann' });
    expect((await sessionOf(jar)).user).toMatchObject({ id: ann!.id, email: 'ann@example.com', role: 'user' });
    for (const step of ['discovery', 'jwks', 'authorize', 'token', 'userinfo'] as const)
      expect(idp.served[step]).toBeGreaterThan(before[step]);
  });

  it('an existing account and email_verified false: refused with a sentence on the sign-in page; nothing changes', async () => {
    const pat = await createUser(t.db, { email: 'pat@example.com', password: 'pats password', name: 'Pat' });
    const { jar, location } = await ssoSignIn({
      idToken: { sub: 'idp-pat', email: 'pat@example.com', email_verified: false },
    });
    expect(location).toBe('/signin?error=SsoEmailUnverified');
    expect(await sessionOf(jar)).toEqual({});
    expect(await findUserByEmail(t.db, 'pat@example.com')).toMatchObject({
      id: pat.id,
      oidcSubject: null,
      sessionVersion: 0,
    });
    expect((await passwordSignIn('pat@example.com', 'pats password', '192.0.2.20')).status).toBe(200);
  });

  it('no email_verified at all (claim absent in both ID token and userinfo): refused the same way', async () => {
    const { location } = await ssoSignIn({ idToken: { sub: 'idp-pat', email: 'pat@example.com' } });
    expect(location).toBe('/signin?error=SsoEmailUnverified');
  });

  it('userinfo has the last word: verified in the ID token but not in userinfo is refused', async () => {
    const { location } = await ssoSignIn({
      idToken: { sub: 'idp-pat', email: 'pat@example.com', email_verified: true },
      userinfo: { sub: 'idp-pat', email: 'pat@example.com', email_verified: false },
    });
    expect(location).toBe('/signin?error=SsoEmailUnverified');
  });

  it('email_verified true (from userinfo): attaches, ends the password and older sessions, and is audited', async () => {
    const pat = (await findUserByEmail(t.db, 'pat@example.com'))!;
    const byPassword = await passwordSignIn('pat@example.com', 'pats password', '192.0.2.21');
    expect((await sessionOf(byPassword.jar)).user).toMatchObject({ id: pat.id });

    const { jar, location } = await ssoSignIn({
      idToken: { sub: 'idp-pat', email: 'pat@example.com' },
      userinfo: { sub: 'idp-pat', email: 'pat@example.com', email_verified: true },
    });
    expect(location).toBe(`${app.origin}/dashboard`);
    expect((await sessionOf(jar)).user).toMatchObject({ id: pat.id, email: 'pat@example.com' });
    // The session signed in with the password before is over, and the password no longer works.
    expect(await sessionOf(byPassword.jar)).toEqual({});
    const again = await passwordSignIn('pat@example.com', 'pats password', '192.0.2.22');
    expect(again).toMatchObject({ status: 401, error: 'CredentialsSignin' });
    const [entry] = await listAudit(t.db, { targetUserId: pat.id, action: 'user.sso_link' });
    expect(entry).toMatchObject({
      actorId: pat.id,
      details: { hadPassword: true, sessionsEnded: true, subject: 'idp-pat', issuer: idp.issuer },
    });

    // Next time the identity alone finds the account, verified or not; the SSO session stays valid.
    const later = await ssoSignIn({ idToken: { sub: 'idp-pat', email: 'pat@example.com' } });
    expect((await sessionOf(later.jar)).user).toMatchObject({ id: pat.id });
    expect((await sessionOf(jar)).user).toMatchObject({ id: pat.id });
  });

  it('SIGNUP=off: a new person is refused with a sentence, and no account is made', async () => {
    process.env.SIGNUP = 'off';
    try {
      const { location } = await ssoSignIn({
        idToken: { sub: 'idp-zed', email: 'zed@example.com', email_verified: true },
      });
      expect(location).toBe('/signin?error=SignupClosed');
      expect(await findUserByEmail(t.db, 'zed@example.com')).toBeNull();
    } finally {
      delete process.env.SIGNUP;
    }
  });
});

describe('callbackUrl through next-auth', () => {
  const EVIL = [
    '/\\evil.example',
    '/%5Cevil.example',
    '//evil.example',
    'https://evil.example',
    '/%2F%2Fevil.example',
    '/.//evil.example',
  ];

  it.each(EVIL)('password sign-in with callbackUrl=%j lands on this site', async (callbackUrl) => {
    await createUser(t.db, {
      email: `cb-${EVIL.indexOf(callbackUrl)}@example.com`,
      password: 'callback password',
    }).catch(() => undefined);
    const res = await passwordSignIn(
      `cb-${EVIL.indexOf(callbackUrl)}@example.com`,
      'callback password',
      `192.0.2.${30 + EVIL.indexOf(callbackUrl)}`,
      callbackUrl,
    );
    expect(res.status).toBe(200);
    const landed = new URL(res.url);
    expect(landed.origin).toBe(app.origin);
    expect(landed.pathname.startsWith('//')).toBe(false);
    expect(res.url).not.toContain('\\');
    // Followed by a browser from our page, it stays here too.
    expect(new URL(res.url, `${app.origin}/signin`).host).toBe(new URL(app.origin).host);
  });

  it('an SSO sign-in started with callbackUrl=//evil.example comes back to this site', async () => {
    const { location } = await ssoSignIn({ idToken: { sub: 'idp-ann', email: 'ann@example.com' } }, '//evil.example');
    expect(location).toBe(`${app.origin}/`);
  });
});

describe('password sign-in throttling over HTTP', () => {
  it('the 11th failure for one email answers 429 with Retry-After and the throttle code; other emails are fine', async () => {
    await createUser(t.db, { email: 'locked@example.com', password: 'locked password' });
    for (let i = 0; i < 10; i++) {
      const res = await passwordSignIn('locked@example.com', `guess ${i}`, `198.51.100.${i}`);
      expect(res).toMatchObject({ status: 401, error: 'CredentialsSignin' });
    }
    const refused = await passwordSignIn('locked@example.com', 'locked password', '198.51.100.99');
    expect(refused).toMatchObject({ status: 429, retryAfter: '900', error: 'SignInThrottled' });
    expect((await sessionOf(refused.jar)).user).toBeUndefined();
    expect((await passwordSignIn('pat-not-here@example.com', 'whatever password', '198.51.100.99')).status).toBe(401);
  });

  it('10 failures from one client address: the 11th attempt from it is refused, from another address it works', async () => {
    await createUser(t.db, { email: 'spray-target@example.com', password: 'spray password' });
    for (let i = 0; i < 10; i++)
      expect((await passwordSignIn(`nobody-${i}@example.com`, 'Winter2026!', '203.0.113.66')).status).toBe(401);
    expect((await passwordSignIn('spray-target@example.com', 'spray password', '203.0.113.66')).status).toBe(429);
    const elsewhere = await passwordSignIn('spray-target@example.com', 'spray password', '203.0.113.67');
    expect(elsewhere.status).toBe(200);
    expect((await sessionOf(elsewhere.jar)).user).toMatchObject({ email: 'spray-target@example.com' });
  });
});
