/**
 * One tRPC request may batch at most TRPC_MAX_BATCH calls: the server runs a batch's calls at
 * once, so an unbounded batch let one anonymous POST start hundreds of sign-ups (a password hash
 * and an account each). Called through the real handler, with a real (PGlite) database.
 */
import { withTestDb } from '@bgr/db/test/support';
import { findUserByEmail } from '@bgr/db/queries/users';
import type { Db } from '@bgr/db/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleTrpcRequest } from '../../src/server/api/http-handler';
import { createTRPCContext } from '../../src/server/api/trpc';
import { TRPC_MAX_BATCH } from '../../src/lib/trpc-batch';

describe('tRPC batches', () => {
  const t = withTestDb('pglite');
  let db: Db;
  beforeAll(() => {
    db = t.db;
    const signup = process.env.SIGNUP;
    process.env.SIGNUP = 'open';
    return () => {
      if (signup === undefined) delete process.env.SIGNUP;
      else process.env.SIGNUP = signup;
    };
  });

  const trpc = (req: Request) =>
    handleTrpcRequest(req, () => createTRPCContext({ db, headers: req.headers, session: null }));

  /** One POST carrying `count` sign-ups, each with its own address. */
  const signUps = (count: number, tag: string) => {
    const inputs: Record<string, unknown> = {};
    for (let i = 0; i < count; i++)
      inputs[i] = { json: { email: `batch-${tag}-${i}@example.com`, password: 'long enough password' } };
    return new Request(`http://x/api/trpc/${Array(count).fill('account.signUp').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(inputs),
    });
  };

  /** One GET carrying `count` account.signupMode queries. */
  const queries = (count: number) => {
    const input = encodeURIComponent(
      JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [i, {}]))),
    );
    return new Request(`http://x/api/trpc/${Array(count).fill('account.signupMode').join(',')}?batch=1&input=${input}`);
  };

  it('runs a batch of the largest size the browser sends', async () => {
    const res = await trpc(queries(TRPC_MAX_BATCH));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Array<{ result: { data: { json: unknown } } }>;
    expect(body.map((r) => r.result.data.json)).toEqual(Array(TRPC_MAX_BATCH).fill('open'));
  });

  it('refuses a larger batch whole with 400, before any call runs', async () => {
    const count = TRPC_MAX_BATCH + 1;
    const res = await trpc(signUps(count, 'big'));
    expect(res.status).toBe(400);
    for (const i of [0, 1, count - 1]) expect(await findUserByEmail(db, `batch-big-${i}@example.com`)).toBeFalsy();
  });

  it('refuses a larger batch of queries in a GET too', async () => {
    expect((await trpc(queries(TRPC_MAX_BATCH + 1))).status).toBe(400);
  });
});
