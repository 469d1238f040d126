import { afterEach, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { withTestDb, type TestDbKind } from '@bgr/db/test/support';
import { verifyPassword } from '@bgr/db/queries/users';
import { grant } from '@bgr/db/queries/ledger';
import { SIGN_UP_FOLLOW_UP } from '~/lib/sign-in-messages';
import { callerFor } from '../support/context';

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe.each(['pglite', 'postgres'] as TestDbKind[])('account router on %s', (kind) => {
  const t = withTestDb(kind);
  const savedSignup = process.env.SIGNUP;
  afterEach(() => {
    if (savedSignup === undefined) delete process.env.SIGNUP;
    else process.env.SIGNUP = savedSignup;
  });

  it('SIGNUP=open: anyone can sign up, and then sign in with that password', async () => {
    delete process.env.SIGNUP;
    const anonymous = await callerFor(t.db, null);
    expect(await anonymous.account.signupMode()).toBe('open');
    const created = await anonymous.account.signUp({
      email: '  New.Person@Example.com ',
      password: 'long enough password',
      name: 'New',
    });
    expect(created).toEqual({ message: SIGN_UP_FOLLOW_UP });
    const user = await verifyPassword(t.db, 'new.person@example.com', 'long enough password');
    expect(user).toMatchObject({ email: 'new.person@example.com', name: 'New', role: 'user' });
    expect(await verifyPassword(t.db, 'new.person@example.com', 'wrong password')).toBeNull();
  });

  it('answers a taken email exactly like a new one, and leaves the existing account untouched', async () => {
    delete process.env.SIGNUP;
    const anonymous = await callerFor(t.db, null);
    const fresh = await anonymous.account.signUp({
      email: 'fresh.person@example.com',
      password: 'long enough password',
    });
    const taken = await anonymous.account.signUp({
      email: 'New.Person@example.com',
      password: 'an attacker password',
      name: 'Mallory',
    });
    expect(taken).toEqual(fresh);
    expect(JSON.stringify(taken)).toBe(JSON.stringify(fresh));
    expect(await verifyPassword(t.db, 'new.person@example.com', 'an attacker password')).toBeNull();
    expect(await verifyPassword(t.db, 'new.person@example.com', 'long enough password')).toMatchObject({ name: 'New' });
  });

  it('refuses a short password and a malformed address with sentences', async () => {
    delete process.env.SIGNUP;
    const anonymous = await callerFor(t.db, null);
    expect((await failure(anonymous.account.signUp({ email: 'short@example.com', password: 'short' }))).code).toBe(
      'BAD_REQUEST',
    );
    expect(
      (await failure(anonymous.account.signUp({ email: 'not an email', password: 'long enough password' }))).code,
    ).toBe('BAD_REQUEST');
  });

  it.each(['invite', 'off'])('SIGNUP=%s: nobody can sign themselves up', async (mode) => {
    process.env.SIGNUP = mode;
    const anonymous = await callerFor(t.db, null);
    expect(await anonymous.account.signupMode()).toBe(mode);
    expect(
      await failure(anonymous.account.signUp({ email: `${mode}@example.com`, password: 'long enough password' })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await verifyPassword(t.db, `${mode}@example.com`, 'long enough password')).toBeNull();
  });

  it('me and balance describe the signed-in user', async () => {
    const user = (await verifyPassword(t.db, 'new.person@example.com', 'long enough password'))!;
    const caller = await callerFor(t.db, user);
    expect(await caller.account.me()).toEqual({
      id: user.id,
      email: 'new.person@example.com',
      name: 'New',
      role: 'user',
    });
    expect(await caller.account.balance()).toEqual({ units: 0, credits: 0, heldUnits: 0 });
    await grant(t.db, { userId: user.id, units: 10, kind: 'payg' });
    expect(await caller.account.balance()).toEqual({ units: 10, credits: 2.5, heldUnits: 0 });
    expect(await (await callerFor(t.db, null)).account.me()).toBeNull();
  });
});
