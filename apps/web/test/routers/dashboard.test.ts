/**
 * The dashboard's numbers come from the ledger: after grants, a plan and spending, what the
 * dashboard shows equals what `balance` says, bucket by bucket, and the usage history and chart
 * match the recorded events. Also the API-key procedures (create shown once, list, revoke).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTestDb, DB_KINDS } from '@bgr/db/test/support';
import { findUserByApiKey } from '@bgr/db/queries/api-keys';
import { balance, capture, grant, reserve, startSubscription } from '@bgr/db/queries/ledger';
import { recordUsage } from '@bgr/db/queries/usage';
import { createUser } from '@bgr/db/queries/users';
import { callerFor, codeOf } from '../support/context';

const DAY = 86_400_000;

describe.each(DB_KINDS)('dashboard on %s', (kind) => {
  const t = withTestDb(kind);
  let user: { id: string; email: string; role: string };
  let other: { id: string; email: string; role: string };

  beforeAll(async () => {
    user = await createUser(t.db, { email: 'dana@example.com', password: 'correct horse battery' });
    other = await createUser(t.db, { email: 'other@example.com', password: 'correct horse battery' });
  });

  it('refuses anonymous callers', async () => {
    const anonymous = await callerFor(t.db, null);
    expect(await codeOf(anonymous.dashboard.summary())).toBe('UNAUTHORIZED');
    expect(await codeOf(anonymous.dashboard.usage({ days: 30 }))).toBe('UNAUTHORIZED');
    expect(await codeOf(anonymous.apiKeys.list())).toBe('UNAUTHORIZED');
  });

  it('a new user has nothing and no plan', async () => {
    const s = await (await callerFor(t.db, user)).dashboard.summary();
    expect(s.balance).toEqual({
      totalUnits: 0,
      subscriptionUnits: 0,
      rolloverUnits: 0,
      paygUnits: 0,
      promoUnits: 0,
      heldUnits: 0,
    });
    expect(s.subscription).toBeNull();
    expect(s.nextExpiries).toEqual([]);
  });

  it('shows each bucket, the held units, the plan and what expires next, exactly as the ledger has them', async () => {
    const now = new Date();
    const promoEnd = new Date(now.getTime() + 10 * DAY);
    await startSubscription(t.db, { userId: user.id, monthlyUnits: 200, now: new Date(now.getTime() - 1000) });
    await grant(t.db, { userId: user.id, units: 40, kind: 'payg', now });
    await grant(t.db, { userId: user.id, units: 6, kind: 'promo', expiresAt: promoEnd, now });
    await grant(t.db, { userId: user.id, units: 3, kind: 'promo', now }); // never expires
    // One HD download charged, one in progress (held).
    const done = await reserve(t.db, { userId: user.id, units: 4, key: 'hd:1', now });
    if (!done.ok) throw new Error('reserve failed');
    await capture(t.db, { holdId: done.hold.id, now });
    const pending = await reserve(t.db, { userId: user.id, units: 4, key: 'hd:2', now });
    expect(pending.ok).toBe(true);

    const s = await (await callerFor(t.db, user)).dashboard.summary();
    const b = await balance(t.db, { userId: user.id });
    expect(s.balance).toEqual({
      totalUnits: b.totalUnits,
      subscriptionUnits: b.subscriptionUnits,
      rolloverUnits: b.rolloverUnits,
      paygUnits: b.paygUnits,
      promoUnits: b.promoUnits,
      heldUnits: b.heldUnits,
    });
    // Subscription credits are spent first: 200 − 4 charged − 4 held.
    expect(s.balance).toMatchObject({
      subscriptionUnits: 192,
      paygUnits: 40,
      promoUnits: 9,
      heldUnits: 4,
      totalUnits: 241,
    });
    expect(s.balance.totalUnits).toBe(
      s.balance.subscriptionUnits + s.balance.rolloverUnits + s.balance.paygUnits + s.balance.promoUnits,
    );

    expect(s.subscription).toMatchObject({ monthlyUnits: 200, cancelAtPeriodEnd: false });
    const periodEnd = new Date(s.subscription!.periodEnd);
    expect(periodEnd.getTime()).toBeGreaterThan(now.getTime() + 27 * DAY);
    expect(periodEnd.getTime()).toBeLessThan(now.getTime() + 32 * DAY);

    // Soonest first: the promo (10 days), then this period's subscription credits, then PAYG (2 years).
    expect(s.nextExpiries.map((e) => e.kind)).toEqual(b.nextExpiries.map((e) => e.kind));
    expect(s.nextExpiries[0]).toMatchObject({ kind: 'promo', units: 6 });
    expect(new Date(s.nextExpiries[0]!.expiresAt).getTime()).toBe(promoEnd.getTime());
    expect(s.nextExpiries.some((e) => e.kind === 'payg' && e.units === 40)).toBe(true);

    // Another user's dashboard shows none of it.
    const o = await (await callerFor(t.db, other)).dashboard.summary();
    expect(o.balance.totalUnits).toBe(0);
  });

  it('lists usage newest first and charts it by day: previews vs HD, web vs API vs apps', async () => {
    const now = new Date();
    const twoDaysAgo = new Date(now.getTime() - 2 * DAY);
    await recordUsage(t.db, { userId: user.id, channel: 'web', kind: 'preview', units: 0, ok: true, now: twoDaysAgo });
    await recordUsage(t.db, { userId: user.id, channel: 'web', kind: 'hd', units: 4, ok: true, now: twoDaysAgo });
    await recordUsage(t.db, { userId: user.id, channel: 'api', kind: 'preview', units: 1, ok: true, now });
    await recordUsage(t.db, { userId: user.id, channel: 'api', kind: 'full', units: 4, ok: true, now });
    // The bgr command line (the "apps" channel) at the API's price.
    await recordUsage(t.db, { userId: user.id, channel: 'apps', kind: 'auto', units: 1, ok: true, now });
    await recordUsage(t.db, {
      userId: user.id,
      channel: 'api',
      kind: 'full',
      units: 0,
      ok: false,
      errorCode: 'timeout',
      now,
    });
    await recordUsage(t.db, { userId: other.id, channel: 'web', kind: 'hd', units: 4, ok: true, now });

    const u = await (await callerFor(t.db, user)).dashboard.usage({ days: 30 });
    expect(u.events).toHaveLength(6);
    expect(u.events.map((e) => e.at.getTime())).toEqual([...u.events.map((e) => e.at.getTime())].sort((a, b) => b - a));
    expect(u.events.find((e) => !e.ok)).toMatchObject({ channel: 'api', kind: 'full', units: 0, errorCode: 'timeout' });

    expect(u.byDay).toHaveLength(30);
    expect(u.byDay.at(-1)!.day).toBe(now.toISOString().slice(0, 10));
    const old = u.byDay.find((d) => d.day === twoDaysAgo.toISOString().slice(0, 10));
    expect(old).toMatchObject({
      webPreview: 1,
      webHd: 1,
      apiPreview: 0,
      apiHd: 0,
      appsPreview: 0,
      appsHd: 0,
      units: 4,
    });
    // Failed requests are not images.
    expect(u.byDay.at(-1)).toMatchObject({ webPreview: 0, webHd: 0, apiPreview: 1, apiHd: 1, appsHd: 1, units: 6 });
    expect(u.events.filter((e) => e.channel === 'apps')).toHaveLength(1);
  });

  it('creates an API key shown once, lists it by prefix, and revokes it', async () => {
    const me = await callerFor(t.db, user);
    const created = await me.apiKeys.create({ name: 'Shop export' });
    expect(created.key.length).toBeGreaterThan(20);
    expect((await findUserByApiKey(t.db, created.key))?.user.id).toBe(user.id);

    const list = await me.apiKeys.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: created.id, name: 'Shop export', revokedAt: null });
    expect(created.key.startsWith(list[0]!.prefix)).toBe(true);
    expect(JSON.stringify(list)).not.toContain(created.key);

    // Someone else cannot revoke it.
    const them = await callerFor(t.db, other);
    expect(await codeOf(them.apiKeys.revoke({ id: created.id }))).toBe('NOT_FOUND');
    expect(await codeOf(them.apiKeys.revoke({ id: randomUUID() }))).toBe('NOT_FOUND');
    expect(await findUserByApiKey(t.db, created.key)).not.toBeNull();

    await me.apiKeys.revoke({ id: created.id });
    expect(await findUserByApiKey(t.db, created.key)).toBeNull();
    expect((await me.apiKeys.list())[0]!.revokedAt).toBeInstanceOf(Date);
    expect(await codeOf(me.apiKeys.create({ name: '   ' }))).toBe('BAD_REQUEST');
  });
});
