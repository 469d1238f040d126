/**
 * next-auth configuration: the credentials check, the OIDC sign-in rules (SIGNUP, disabled
 * accounts), and what the JWT/session carry. Runs against a real PostgreSQL database through the
 * app's own process-wide getDb().
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDb } from '@bgr/db/test/support';
import { closeDb } from '@bgr/db/client';
import { createUser, findUserByEmail, setDisabled } from '@bgr/db/queries/users';
import type { NextAuthOptions } from 'next-auth';

let t: Awaited<ReturnType<typeof createTestDb>>;
let authOptions: NextAuthOptions;
const saved = { ...process.env };

beforeAll(async () => {
  t = await createTestDb('postgres');
  process.env.DATABASE_URL = t.url;
  process.env.OIDC_ISSUER = 'https://sso.example.com/realms/acme';
  process.env.OIDC_CLIENT_ID = 'bgr';
  process.env.OIDC_CLIENT_SECRET = 'secret';
  vi.resetModules();
  ({ authOptions } = await import('~/server/auth'));
  await createUser(t.db, { email: 'pat@example.com', password: 'correct horse battery', name: 'Pat' });
  const gone = await createUser(t.db, { email: 'gone@example.com', password: 'correct horse battery' });
  await setDisabled(t.db, gone.id, true);
});

afterEach(() => {
  process.env.SIGNUP = saved.SIGNUP;
  if (saved.SIGNUP === undefined) delete process.env.SIGNUP;
});

afterAll(async () => {
  await closeDb();
  await t?.close();
  for (const k of ['DATABASE_URL', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

type Authorize = (c: Record<string, string>) => Promise<{ id: string; role?: string } | null>;
const authorize = (creds: Record<string, string>) =>
  ((authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize)(creds);

type SignIn = (p: { user: { id: string; email?: string | null; name?: string | null }; account: { provider: string } | null }) => Promise<boolean | string>;
const oidcSignIn = (email: string | null, name = 'Someone') =>
  (authOptions.callbacks!.signIn as unknown as SignIn)({ user: { id: 'sub-1', email, name }, account: { provider: 'oidc' } });

describe('email and password', () => {
  it('signs in with the right password, whatever the case of the email', async () => {
    expect(await authorize({ email: ' PAT@example.com', password: 'correct horse battery' })).toMatchObject({ email: 'pat@example.com', role: 'user' });
  });
  it('refuses a wrong password, an unknown email and a disabled account', async () => {
    expect(await authorize({ email: 'pat@example.com', password: 'wrong horse battery' })).toBeNull();
    expect(await authorize({ email: 'nobody@example.com', password: 'correct horse battery' })).toBeNull();
    expect(await authorize({ email: 'gone@example.com', password: 'correct horse battery' })).toBeNull();
  });
});

describe('single sign-on (OIDC)', () => {
  it('is offered when the three OIDC settings are present', () => {
    expect(authOptions.providers.map((p) => p.id)).toEqual(['credentials', 'oidc']);
  });

  it('SIGNUP=open or invite: the first SSO sign-in creates the account', async () => {
    process.env.SIGNUP = 'invite';
    expect(await oidcSignIn('New.Hire@Example.com', 'New Hire')).toBe(true);
    expect(await findUserByEmail(t.db, 'new.hire@example.com')).toMatchObject({ name: 'New Hire', role: 'user' });
  });

  it('SIGNUP=off: SSO signs in existing accounts only', async () => {
    process.env.SIGNUP = 'off';
    expect(await oidcSignIn('stranger@example.com')).toBe('/signin?error=SignupClosed');
    expect(await findUserByEmail(t.db, 'stranger@example.com')).toBeNull();
    expect(await oidcSignIn('pat@example.com')).toBe(true);
  });

  it('refuses disabled accounts and identities without an email', async () => {
    expect(await oidcSignIn('gone@example.com')).toBe('/signin?error=AccountDisabled');
    expect(await oidcSignIn(null)).toBe('/signin?error=OidcNoEmail');
  });

  it('the session carries our user id and role, not the provider subject', async () => {
    const pat = (await findUserByEmail(t.db, 'pat@example.com'))!;
    const jwt = authOptions.callbacks!.jwt as unknown as (p: Record<string, unknown>) => Promise<Record<string, unknown>>;
    const token = await jwt({ token: {}, user: { id: 'sub-1', email: 'pat@example.com' }, account: { provider: 'oidc' } });
    expect(token).toMatchObject({ id: pat.id, role: 'user' });
    const session = authOptions.callbacks!.session as unknown as (p: Record<string, unknown>) => Promise<{ user: Record<string, unknown> }>;
    const s = await session({ session: { user: { email: 'pat@example.com' }, expires: '' }, token });
    expect(s.user).toMatchObject({ id: pat.id, role: 'user' });
  });
});
