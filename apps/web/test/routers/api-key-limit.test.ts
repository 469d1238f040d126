/** At most 20 active API keys per user: the 21st is refused with a sentence (router and admin CLI). */
import { describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { withTestDb } from '@bgr/db/test/support';
import { cli } from '@bgr/db/test/support/cli';
import { createUser } from '@bgr/db/queries/users';
import { createApiKey, listApiKeys, MAX_ACTIVE_API_KEYS } from '@bgr/db/queries/api-keys';
import { callerFor } from '../support/context';

describe('API key limit on postgres', () => {
  const t = withTestDb('postgres');

  it('refuses the 21st active key in the dashboard; a revoked key frees a place', async () => {
    const user = await createUser(t.db, { email: `keys-${Date.now()}@example.com`, password: 'correct horse battery' });
    const me = await callerFor(t.db, { id: user.id, email: user.email, role: 'user' });
    // Racing creations cannot pass the limit either.
    const made = await Promise.allSettled(
      Array.from({ length: MAX_ACTIVE_API_KEYS + 5 }, (_, i) => me.apiKeys.create({ name: `key ${i}` })),
    );
    expect(made.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_ACTIVE_API_KEYS);
    const refused = made.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(TRPCError);
    expect((refused.reason as TRPCError).code).toBe('BAD_REQUEST');
    expect((refused.reason as TRPCError).message).toBe(
      'You already have 20 active API keys, the most an account can have. Revoke one you no longer use, then create the new one.',
    );
    const [first] = await me.apiKeys.list();
    await me.apiKeys.revoke({ id: first!.id });
    expect((await me.apiKeys.create({ name: 'replacement' })).key).toMatch(/^bgr_/);
    expect((await listApiKeys(t.db, user.id)).filter((k) => !k.revokedAt)).toHaveLength(MAX_ACTIVE_API_KEYS);
  });

  it('refuses the 21st key from the admin CLI with one line', async () => {
    const user = await createUser(t.db, { email: `cli-keys-${Date.now()}@example.com` });
    for (let i = 0; i < MAX_ACTIVE_API_KEYS; i++) await createApiKey(t.db, { userId: user.id, name: `k${i}` });
    const r = await cli({ DATABASE_URL: t.url! }, 'api-key', 'create', '--email', user.email);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: You already have 20 active API keys, the most an account can have. Revoke one you no longer use, then create the new one.\n',
    );
  }, 120_000);
});
