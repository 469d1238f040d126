/**
 * The last-admin rule under real concurrency (PostgreSQL, separate connections from the pool):
 * two admins disabling — or demoting — each other at the same moment must leave one enabled
 * admin. The check runs inside the change's transaction with the admins' rows locked, so the
 * second change waits for the first and is refused with a sentence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { withTestDb } from '@bgr/db/test/support';
import { listAudit } from '@bgr/db/queries/audit';
import { countAdmins, createUser, setDisabled, setRole } from '@bgr/db/queries/users';
import { callerFor } from '../support/context';

const ROUNDS = 8;

describe('two admins removing each other at once (postgres)', () => {
  const t = withTestDb('postgres');
  let a: { id: string; email: string; role: string };
  let b: { id: string; email: string; role: string };

  beforeAll(async () => {
    a = await createUser(t.db, { email: 'ada@example.com', password: 'correct horse battery', role: 'admin' });
    b = await createUser(t.db, { email: 'bob@example.com', password: 'correct horse battery', role: 'admin' });
  });

  async function bothAdminsAgain() {
    for (const id of [a.id, b.id]) {
      await setRole(t.db, id, 'admin');
      await setDisabled(t.db, id, false);
    }
    expect(await countAdmins(t.db)).toBe(2);
  }

  async function race(change: (caller: Awaited<ReturnType<typeof callerFor>>, target: string) => Promise<unknown>) {
    const outcomes = { ok: 0, refused: [] as string[] };
    for (let round = 0; round < ROUNDS; round++) {
      await bothAdminsAgain();
      const [asA, asB] = await Promise.all([callerFor(t.db, a), callerFor(t.db, b)]);
      const results = await Promise.allSettled([change(asA, b.id), change(asB, a.id)]);
      expect(await countAdmins(t.db), `round ${round}`).toBe(1);
      for (const r of results) {
        if (r.status === 'fulfilled') outcomes.ok++;
        else {
          expect(r.reason).toBeInstanceOf(TRPCError);
          outcomes.refused.push(`${(r.reason as TRPCError).code}: ${(r.reason as TRPCError).message}`);
        }
      }
    }
    return outcomes;
  }

  it('disable: one succeeds, the other is refused, one enabled admin is left every time', async () => {
    const before = (await listAudit(t.db, { action: 'user.disable' })).length;
    const { ok, refused } = await race((c, target) => c.admin.setDisabled({ userId: target, disabled: true }));
    expect(ok).toBe(ROUNDS);
    expect(refused).toHaveLength(ROUNDS);
    for (const r of refused)
      expect(r).toMatch(
        /^(BAD_REQUEST: This is the only active administrator|FORBIDDEN: You are no longer an administrator).*\.$/,
      );
    // Only the changes that happened are in the audit log.
    expect((await listAudit(t.db, { action: 'user.disable' })).length - before).toBe(ROUNDS);
  });

  it('demote: one succeeds, the other is refused, one admin is left every time', async () => {
    const before = (await listAudit(t.db, { action: 'user.demote' })).length;
    const { ok, refused } = await race((c, target) => c.admin.setRole({ userId: target, role: 'user' }));
    expect(ok).toBe(ROUNDS);
    expect(refused).toHaveLength(ROUNDS);
    for (const r of refused)
      expect(r).toMatch(
        /^(BAD_REQUEST: This is the only administrator|FORBIDDEN: You are no longer an administrator).*\.$/,
      );
    expect((await listAudit(t.db, { action: 'user.demote' })).length - before).toBe(ROUNDS);
  });
});
