/**
 * The admin actions shared by the console and the CLI, on both databases: each one that changes
 * something writes exactly one audit entry, of its one documented shape, saying `via` web or cli
 * and who acted (the admin's id, or null for the CLI); a refusal changes nothing and records nothing.
 * Also: balances() for many users equals balance() per user, bucket by bucket.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/actions/actor';
import { cancelPlanAction } from '../src/actions/cancel-plan';
import { changePlanAction } from '../src/actions/change-plan';
import { createUserAction } from '../src/actions/create-user';
import { debitCreditsAction } from '../src/actions/debit-credits';
import { grantCreditsAction } from '../src/actions/grant-credits';
import { setDisabledAction } from '../src/actions/set-disabled';
import { setRoleAction } from '../src/actions/set-role';
import { startPlanAction } from '../src/actions/start-plan';
import { listAudit } from '../src/queries/audit';
import {
  balance,
  balances,
  capture,
  grant,
  LedgerError,
  reserve,
  startSubscription,
  changePlan,
  cancelSubscription,
} from '../src/queries/ledger';
import { createUser, getUser, UserError } from '../src/queries/users';
import { DB_KINDS, withTestDb } from './support';

const T0 = new Date('2030-03-01T00:00:00.000Z');
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);

describe.each(DB_KINDS)('admin actions on %s', (kind) => {
  const ctx = withTestDb(kind);
  let admin: { id: string; email: string };
  let web: Actor;
  const cli: Actor = { via: 'cli' };

  beforeAll(async () => {
    admin = await createUser(ctx.db, { email: 'boss@example.com', password: 'boss password', role: 'admin' });
    web = { via: 'web', actorId: admin.id };
  });

  /** The audit entries added while `fn` runs, oldest first. */
  async function auditDuring(fn: () => Promise<unknown>) {
    const before = (await listAudit(ctx.db, { limit: 1 }))[0]?.id ?? 0;
    await fn();
    return (await listAudit(ctx.db, { limit: 1000 })).filter((e) => e.id > before).reverse();
  }

  for (const [via, actor, actorId] of [
    ['web', () => web, () => admin.id],
    ['cli', () => cli, () => null],
  ] as const) {
    it(`each action via ${via} writes one audit entry of its shape`, async () => {
      const email = `${via}-${randomUUID().slice(0, 8)}@example.com`;
      let userId = '';
      const created = await auditDuring(async () => {
        userId = (await createUserAction(ctx.db, { actor: actor(), email, password: 'a long password', role: 'user' }))
          .id;
      });
      expect(created).toEqual([
        expect.objectContaining({
          action: 'user.create',
          actorId: actorId(),
          targetUserId: userId,
          details: { via, email, role: 'user' },
        }),
      ]);

      const ref = via === 'web' ? { id: userId } : { email };
      let lotId = '';
      const granted = await auditDuring(async () => {
        lotId = (
          await grantCreditsAction(ctx.db, {
            actor: actor(),
            user: ref,
            units: 9,
            kind: 'promo',
            expiresAt: days(30),
            note: 'promo',
            now: T0,
          })
        ).id;
      });
      expect(granted).toEqual([
        expect.objectContaining({
          action: 'credits.grant',
          actorId: actorId(),
          note: 'promo',
          details: {
            via,
            email,
            kind: 'promo',
            units: 9,
            lotId,
            expiresAt: days(30).toISOString(),
            at: T0.toISOString(),
          },
        }),
      ]);
      const payg = await auditDuring(() =>
        grantCreditsAction(ctx.db, { actor: actor(), user: ref, units: 40, kind: 'payg', now: T0 }),
      );
      expect(payg[0]!.details).toMatchObject({ kind: 'payg', units: 40, expiresAt: '2032-03-01T00:00:00.000Z' });

      const started = await auditDuring(() =>
        startPlanAction(ctx.db, { actor: actor(), user: ref, monthlyUnits: 400, now: T0 }),
      );
      expect(started).toEqual([
        expect.objectContaining({
          action: 'subscription.start',
          actorId: actorId(),
          details: { via, email, monthlyUnits: 400, periodEnd: '2030-04-01T00:00:00.000Z', at: T0.toISOString() },
        }),
      ]);

      const changed = await auditDuring(() =>
        changePlanAction(ctx.db, { actor: actor(), user: ref, monthlyUnits: 80, now: days(10) }),
      );
      expect(changed).toEqual([
        expect.objectContaining({
          action: 'subscription.change',
          actorId: actorId(),
          details: {
            via,
            email,
            fromMonthlyUnits: 400,
            monthlyUnits: 80,
            periodEnd: expect.any(String),
            at: days(10).toISOString(),
          },
        }),
      ]);

      const debited = await auditDuring(() =>
        debitCreditsAction(ctx.db, { actor: actor(), user: ref, units: 3, note: 'fix', now: days(10) }),
      );
      expect(debited).toEqual([
        expect.objectContaining({
          action: 'credits.debit',
          actorId: actorId(),
          note: 'fix',
          details: { via, email, units: 3, at: days(10).toISOString() },
        }),
      ]);

      let endsAt = '';
      const cancelled = await auditDuring(async () => {
        endsAt = (await cancelPlanAction(ctx.db, { actor: actor(), user: ref, now: days(11) })).periodEnd.toISOString();
      });
      expect(cancelled).toEqual([
        expect.objectContaining({
          action: 'subscription.cancel',
          actorId: actorId(),
          details: { via, email, monthlyUnits: 80, endsAt, at: days(11).toISOString() },
        }),
      ]);

      for (const [disabled, action] of [
        [true, 'user.disable'],
        [false, 'user.enable'],
      ] as const) {
        const entries = await auditDuring(() =>
          setDisabledAction(ctx.db, { actor: actor(), userId, disabled, note: 'n' }),
        );
        expect(entries).toEqual([
          expect.objectContaining({
            action,
            actorId: actorId(),
            targetUserId: userId,
            note: 'n',
            details: { via, email },
          }),
        ]);
      }
      for (const [role, action, from] of [
        ['admin', 'user.promote', 'user'],
        ['user', 'user.demote', 'admin'],
      ] as const) {
        const entries = await auditDuring(() => setRoleAction(ctx.db, { actor: actor(), userId, role }));
        expect(entries).toEqual([
          expect.objectContaining({
            action,
            actorId: actorId(),
            targetUserId: userId,
            details: { via, email, from, to: role },
          }),
        ]);
      }
      expect((await getUser(ctx.db, userId))?.role).toBe('user');
    });
  }

  it('refusals change nothing and record nothing', async () => {
    const u = await createUser(ctx.db, { email: 'refused@example.com', password: 'a long password' });
    const ref = { id: u.id };
    const refusals: [string, () => Promise<unknown>, new (...a: never[]) => Error, string][] = [
      [
        'duplicate email',
        () =>
          createUserAction(ctx.db, {
            actor: web,
            email: 'REFUSED@example.com',
            password: 'a long password',
            role: 'user',
          }),
        UserError,
        'email_taken',
      ],
      [
        'unknown id',
        () => grantCreditsAction(ctx.db, { actor: web, user: { id: randomUUID() }, units: 4, kind: 'promo' }),
        LedgerError,
        'user_not_found',
      ],
      [
        'unknown email',
        () => startPlanAction(ctx.db, { actor: cli, user: { email: 'nobody@example.com' }, monthlyUnits: 4 }),
        LedgerError,
        'user_not_found',
      ],
      [
        'PAYG with an expiry',
        () =>
          grantCreditsAction(ctx.db, { actor: cli, user: ref, units: 4, kind: 'payg', expiresAt: days(400), now: T0 }),
        LedgerError,
        'invalid_expiry',
      ],
      [
        'past promo expiry',
        () => grantCreditsAction(ctx.db, { actor: web, user: ref, units: 4, kind: 'promo', expiresAt: T0, now: T0 }),
        LedgerError,
        'invalid_expiry',
      ],
      [
        'no plan to change',
        () => changePlanAction(ctx.db, { actor: web, user: ref, monthlyUnits: 4 }),
        LedgerError,
        'no_subscription',
      ],
      ['no plan to cancel', () => cancelPlanAction(ctx.db, { actor: cli, user: ref }), LedgerError, 'no_subscription'],
      [
        'last admin disabled',
        () => setDisabledAction(ctx.db, { actor: cli, userId: admin.id, disabled: true }),
        UserError,
        'last_admin',
      ],
      [
        'last admin demoted',
        () => setRoleAction(ctx.db, { actor: web, userId: admin.id, role: 'user' }),
        UserError,
        'last_admin',
      ],
      [
        'unknown account',
        () => setRoleAction(ctx.db, { actor: web, userId: randomUUID(), role: 'admin' }),
        UserError,
        'not_found',
      ],
    ];
    const entries = await auditDuring(async () => {
      for (const [name, call, type, code] of refusals) {
        const err = await call().then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, name).toBeInstanceOf(type);
        expect((err as { code: string }).code, name).toBe(code);
        expect((err as Error).message, name).toMatch(/^[A-Z].*\.$/);
      }
      await startPlanAction(ctx.db, { actor: web, user: ref, monthlyUnits: 4, now: T0 });
      await cancelPlanAction(ctx.db, { actor: web, user: ref, now: T0 });
      const again = await cancelPlanAction(ctx.db, { actor: web, user: ref, now: T0 }).catch((e: unknown) => e);
      expect(again).toMatchObject({ code: 'no_subscription', message: 'This plan is already cancelled.' });
      const short = await debitCreditsAction(ctx.db, { actor: cli, user: ref, units: 1_000, now: T0 });
      expect(short).toMatchObject({ ok: false, reason: 'insufficient', available: 4 });
    });
    expect(entries.map((e) => e.action)).toEqual(['subscription.start', 'subscription.cancel']);
    expect((await balance(ctx.db, { userId: u.id, now: T0 })).totalUnits).toBe(4);
  });

  it('balances() for many users equals balance() for each, with every lot kind, holds and plans', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createUser(ctx.db, { email: `many-${i}@example.com` })).id);
    const [plain, paygPromo, planned, changed, heldUser] = ids as [string, string, string, string, string];
    await grant(ctx.db, { userId: paygPromo, units: 40, kind: 'payg', now: T0 });
    await grant(ctx.db, { userId: paygPromo, units: 9, kind: 'promo', expiresAt: days(20), now: T0 });
    await grant(ctx.db, { userId: paygPromo, units: 3, kind: 'promo', now: T0 });
    await startSubscription(ctx.db, { userId: planned, monthlyUnits: 400, now: T0 });
    await startSubscription(ctx.db, { userId: changed, monthlyUnits: 100, now: T0 });
    await changePlan(ctx.db, { userId: changed, monthlyUnits: 20, now: days(5) });
    await grant(ctx.db, { userId: changed, units: 8, kind: 'payg', now: days(5) });
    await cancelSubscription(ctx.db, { userId: changed, now: days(6) });
    await grant(ctx.db, { userId: heldUser, units: 12, kind: 'promo', expiresAt: days(200), now: T0 });
    await startSubscription(ctx.db, { userId: heldUser, monthlyUnits: 8, now: T0 });
    const held = await reserve(ctx.db, { userId: heldUser, units: 5, key: 'k1', now: days(1) });
    const taken = await reserve(ctx.db, { userId: heldUser, units: 2, key: 'k2', now: days(1) });
    if (!taken.ok || !held.ok) throw new Error('the reservations should succeed');
    await capture(ctx.db, { holdId: taken.hold.id, now: days(1) });

    // Within the first period, after the promo expired, and after renewals (projected, never processed).
    for (const now of [days(2), days(25), days(95)]) {
      const many = await balances(ctx.db, { userIds: [...ids, admin.id, randomUUID()], now });
      for (const id of [...ids, admin.id])
        expect(many.get(id), `${id} at ${now.toISOString()}`).toEqual(await balance(ctx.db, { userId: id, now }));
      expect(many.get(plain)).toMatchObject({ totalUnits: 0, heldUnits: 0, subscription: null });
      expect(many.get(heldUser)?.heldUnits).toBe(5);
    }
    expect((await balances(ctx.db, { userIds: [ids[1]!], now: days(2) })).get(paygPromo)?.totalUnits).toBe(52);
    expect(await balances(ctx.db, { userIds: [] })).toEqual(new Map());
  });
});
