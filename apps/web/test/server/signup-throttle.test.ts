/**
 * Self-service sign-up is limited per client address (SIGNUP_LIMIT_PER_HOUR an hour, 3 here): each one
 * hashes a password and may create an account, and anyone may call it. Through the real tRPC
 * handler with a real (PGlite) database; the client address is the X-Forwarded-For peer entry, as
 * the web server appends it.
 */
import { withTestDb } from '@bgr/db/test/support';
import { findUserByEmail } from '@bgr/db/queries/users';
import type { Db } from '@bgr/db/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleTrpcRequest } from '../../src/server/api/http-handler';
import { createTRPCContext } from '../../src/server/api/trpc';

const LIMIT = 3;

describe('account.signUp per client address', () => {
  const t = withTestDb('pglite');
  let db: Db;
  beforeAll(() => {
    db = t.db;
    const saved = { SIGNUP: process.env.SIGNUP, SIGNUP_LIMIT_PER_HOUR: process.env.SIGNUP_LIMIT_PER_HOUR };
    process.env.SIGNUP = 'open';
    process.env.SIGNUP_LIMIT_PER_HOUR = String(LIMIT);
    return () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    };
  });

  const signUp = async (email: string, address: string) => {
    const req = new Request('http://x/api/trpc/account.signUp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ json: { email, password: 'long enough password' } }),
    });
    const res = await handleTrpcRequest(req, () => createTRPCContext({ db, headers: req.headers, session: null }));
    return { status: res.status, body: (await res.json()) as { error: { json: { message: string } } } };
  };

  it('takes SIGNUP_LIMIT_PER_HOUR sign-ups from one address in an hour, then refuses with a sentence (429), hashing and creating nothing', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await signUp(`many-${i}@example.com`, '203.0.113.7')).status).toBe(200);
    // A taken address counts too, so the limit says nothing about which addresses have accounts.
    const refused = await signUp('one-too-many@example.com', '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.body.error.json.message).toMatch(
      /^Too many accounts have been signed up from your network in the last hour\. Please try again in \d+ minutes?\.$/,
    );
    expect(await findUserByEmail(db, 'one-too-many@example.com')).toBeFalsy();
    // Another address is not affected.
    expect((await signUp('elsewhere@example.com', '198.51.100.9')).status).toBe(200);
    expect(await findUserByEmail(db, 'elsewhere@example.com')).toBeTruthy();
  });
});
