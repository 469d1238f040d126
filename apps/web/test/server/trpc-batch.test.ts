/**
 * One tRPC request may batch at most TRPC_MAX_BATCH calls: the server runs a batch's calls at
 * once, so an unbounded batch let one anonymous POST start hundreds of sign-ups (a password hash
 * and an account each). Called through the real handler, with a real (PGlite) database; the
 * refusal is a sentence of ours that tRPC's own client reads as the error's message.
 */
import { withTestDb } from '@bgr/db/test/support';
import { findUserByEmail } from '@bgr/db/queries/users';
import type { Db } from '@bgr/db/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { handleTrpcRequest } from '../../src/server/api/http-handler';
import type { AppRouter } from '../../src/server/api/root';
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

  /** The refusal's message, as tRPC's error shape carries it (superjson: under `json`). */
  const refusal = async (res: Response) =>
    ((await res.json()) as { error: { json: { message: string; data: { code: string } } } }).error.json;

  it('refuses a larger batch whole with 400 and a sentence, before any call runs', async () => {
    const count = TRPC_MAX_BATCH + 1;
    const res = await trpc(signUps(count, 'big'));
    expect(res.status).toBe(400);
    expect(await refusal(res)).toMatchObject({
      message: `A request may carry at most ${TRPC_MAX_BATCH} calls; this one carried ${count}.`,
      data: { code: 'BAD_REQUEST', httpStatus: 400 },
    });
    for (const i of [0, 1, count - 1]) expect(await findUserByEmail(db, `batch-big-${i}@example.com`)).toBeFalsy();
  });

  it('refuses a larger batch of queries in a GET too, counting commas written as %2C', async () => {
    const res = await trpc(queries(37));
    expect(res.status).toBe(400);
    expect((await refusal(res)).message).toBe(
      `A request may carry at most ${TRPC_MAX_BATCH} calls; this one carried 37.`,
    );
    const url = new URL(queries(TRPC_MAX_BATCH + 2).url);
    url.pathname = url.pathname.replaceAll(',', '%2C');
    const encoded = await trpc(new Request(url));
    expect(encoded.status).toBe(400);
    expect((await refusal(encoded)).message).toContain(`this one carried ${TRPC_MAX_BATCH + 2}.`);
  });

  it("gives tRPC's own client the sentence as the error's message", async () => {
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: 'http://x/api/trpc',
          transformer: superjson,
          maxItems: 100, // more than the server takes, as an old or foreign client might send
          fetch: (input, init) => trpc(new Request(input as string, init as RequestInit)),
        }),
      ],
    });
    const calls = Array.from({ length: TRPC_MAX_BATCH + 5 }, () => client.account.signupMode.query());
    const settled = await Promise.allSettled(calls);
    for (const r of settled) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(TRPCClientError);
      expect(err.message).toBe(
        `A request may carry at most ${TRPC_MAX_BATCH} calls; this one carried ${TRPC_MAX_BATCH + 5}.`,
      );
    }
  });
});
