/**
 * The admin console's procedures, in-process on real databases: each one refuses anonymous
 * callers (UNAUTHORIZED) and ordinary users (FORBIDDEN) without changing anything, works for an
 * admin, and every change it makes is in the audit log with who, what and the note.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { paygExpiry } from '@bgr/credits';
import { withTestDb, DB_KINDS } from '@bgr/db/test/support';
import { listAudit } from '@bgr/db/queries/audit';
import { recordHelpFeedback } from '@bgr/db/queries/feedback';
import { createImprovement } from '@bgr/db/queries/improvement';
import { balance } from '@bgr/db/queries/ledger';
import { recordUsage } from '@bgr/db/queries/usage';
import { createUser, getUser, verifyPassword } from '@bgr/db/queries/users';
import { callerFor, codeOf, trpcError } from '../support/context';

type Caller = Awaited<ReturnType<typeof callerFor>>;
type Person = { id: string; email: string; role: string };

describe.each(DB_KINDS)('admin router on %s', (kind) => {
  const t = withTestDb(kind);
  let admin: Person;
  let user: Person;
  let asAdmin: Caller;
  let asUser: Caller;
  let anonymous: Caller;

  /** One valid call per admin procedure, so refusal is about the caller and never about the input. */
  const calls: Record<string, (c: Caller) => Promise<unknown>> = {
    listUsers: (c) => c.admin.listUsers({ search: 'example' }),
    createUser: (c) =>
      c.admin.createUser({ email: `new-${randomUUID()}@example.com`, password: 'long enough password' }),
    setDisabled: (c) => c.admin.setDisabled({ userId: user.id, disabled: false }),
    setRole: (c) => c.admin.setRole({ userId: user.id, role: 'user' }),
    user: (c) => c.admin.user({ userId: user.id }),
    grant: (c) => c.admin.grant({ userId: user.id, credits: 1, kind: 'promo' }),
    startPlan: (c) => c.admin.startPlan({ userId: user.id, monthlyCredits: 10 }),
    changePlan: (c) => c.admin.changePlan({ userId: user.id, monthlyCredits: 20 }),
    cancelPlan: (c) => c.admin.cancelPlan({ userId: user.id }),
    audit: (c) => c.admin.audit({ limit: 10 }),
    usage: (c) => c.admin.usage({ days: 7 }),
    improvements: (c) => c.admin.improvements({ limit: 10 }),
    improvementsTotal: (c) => c.admin.improvementsTotal(),
    helpFeedback: (c) => c.admin.helpFeedback(),
  };

  beforeAll(async () => {
    admin = await createUser(t.db, { email: 'admin@example.com', password: 'correct horse battery', role: 'admin' });
    user = await createUser(t.db, { email: 'user@example.com', password: 'correct horse battery', name: 'Ursula' });
    asAdmin = await callerFor(t.db, admin);
    asUser = await callerFor(t.db, user);
    anonymous = await callerFor(t.db, null);
  });

  it('covers every admin procedure in the router', async () => {
    const { appRouter } = await import('~/server/api/root');
    const adminPaths = Object.keys(appRouter._def.procedures as Record<string, unknown>)
      .filter((p) => p.startsWith('admin.'))
      .map((p) => p.slice('admin.'.length))
      .sort();
    expect(adminPaths).toEqual(Object.keys(calls).sort());
  });

  it('refuses anonymous callers and ordinary users, and writes nothing', async () => {
    const auditBefore = (await listAudit(t.db, { limit: 1000 })).length;
    for (const [name, call] of Object.entries(calls)) {
      expect(await codeOf(call(anonymous)), `anonymous ${name}`).toBe('UNAUTHORIZED');
      expect(await codeOf(call(asUser)), `user ${name}`).toBe('FORBIDDEN');
    }
    expect((await listAudit(t.db, { limit: 1000 })).length).toBe(auditBefore);
    expect((await balance(t.db, { userId: user.id })).totalUnits).toBe(0);
    expect((await getUser(t.db, user.id))?.role).toBe('user');
  });

  it('lists and searches users with their spendable credits', async () => {
    const all = await asAdmin.admin.listUsers({});
    expect(all.map((u) => u.email)).toEqual(expect.arrayContaining(['admin@example.com', 'user@example.com']));
    const found = await asAdmin.admin.listUsers({ search: 'ursula' });
    expect(found.map((u) => u.email)).toEqual(['user@example.com']);
    expect(found[0]).toMatchObject({ role: 'user', disabled: false, totalUnits: 0 });
  });

  it('creates a user who can sign in, and records it', async () => {
    const created = await asAdmin.admin.createUser({
      email: 'Carol@Example.com',
      password: 'carol password 1',
      name: 'Carol',
    });
    expect(created.email).toBe('carol@example.com');
    expect(await verifyPassword(t.db, 'carol@example.com', 'carol password 1')).not.toBeNull();
    const [entry] = await listAudit(t.db, { limit: 1, action: 'user.create' });
    expect(entry).toMatchObject({ actorId: admin.id, targetUserId: created.id });
    expect(await codeOf(asAdmin.admin.createUser({ email: 'carol@example.com', password: 'another password' }))).toBe(
      'CONFLICT',
    );
  });

  it('grants PAYG with the two-year expiry and promo with the chosen one, with the note in the audit log', async () => {
    const payg = await asAdmin.admin.grant({ userId: user.id, credits: 10, kind: 'payg', note: 'Invoice 114' });
    expect(payg.units).toBe(40);
    // The expiry is the rules' own two-year date, computed at grant time.
    const expected = paygExpiry(new Date()).getTime();
    expect(Math.abs(new Date(payg.expiresAt!).getTime() - expected)).toBeLessThan(60_000);

    const promoEnd = new Date(Date.now() + 30 * 86_400_000);
    await asAdmin.admin.grant({
      userId: user.id,
      credits: 2.25,
      kind: 'promo',
      expiresAt: promoEnd,
      note: 'Launch promo',
    });

    const b = await balance(t.db, { userId: user.id });
    expect(b.paygUnits).toBe(40);
    expect(b.promoUnits).toBe(9);

    const grants = await listAudit(t.db, { action: 'credits.grant', targetUserId: user.id });
    expect(grants.map((g) => g.note)).toEqual(['Launch promo', 'Invoice 114']);
    expect(grants.every((g) => g.actorId === admin.id)).toBe(true);
    expect(grants[0]!.details).toMatchObject({ kind: 'promo', units: 9, expiresAt: promoEnd.toISOString() });

    // Bad amounts and PAYG with a custom expiry are refused, and change nothing.
    expect(await codeOf(asAdmin.admin.grant({ userId: user.id, credits: 0.3, kind: 'payg' }))).toBe('BAD_REQUEST');
    expect(await codeOf(asAdmin.admin.grant({ userId: user.id, credits: -1, kind: 'promo' }))).toBe('BAD_REQUEST');
    expect(await codeOf(asAdmin.admin.grant({ userId: user.id, credits: 1, kind: 'payg', expiresAt: promoEnd }))).toBe(
      'BAD_REQUEST',
    );
    expect(
      await codeOf(
        asAdmin.admin.grant({ userId: user.id, credits: 1, kind: 'promo', expiresAt: new Date(Date.now() - 1000) }),
      ),
    ).toBe('BAD_REQUEST');
    expect(await codeOf(asAdmin.admin.grant({ userId: randomUUID(), credits: 1, kind: 'promo' }))).toBe('NOT_FOUND');
    expect((await balance(t.db, { userId: user.id })).totalUnits).toBe(49);
    expect(await listAudit(t.db, { action: 'credits.grant', targetUserId: user.id })).toHaveLength(2);
  });

  it('starts, changes and cancels a plan, each on record', async () => {
    const plain = await createUser(t.db, { email: 'plan@example.com', password: 'correct horse battery' });
    expect(await codeOf(asAdmin.admin.changePlan({ userId: plain.id, monthlyCredits: 5 }))).toBe('BAD_REQUEST');
    expect(await codeOf(asAdmin.admin.cancelPlan({ userId: plain.id }))).toBe('BAD_REQUEST');

    await asAdmin.admin.startPlan({ userId: plain.id, monthlyCredits: 100, note: 'Annual contract' });
    expect((await balance(t.db, { userId: plain.id })).subscriptionUnits).toBe(400);
    expect(await codeOf(asAdmin.admin.startPlan({ userId: plain.id, monthlyCredits: 100 }))).toBe('CONFLICT');

    await asAdmin.admin.changePlan({ userId: plain.id, monthlyCredits: 20 });
    // A plan change adds the new budget at once; the carried part is capped at 5 × 20 = 100 credits.
    const afterChange = await balance(t.db, { userId: plain.id });
    expect(afterChange.subscriptionUnits + afterChange.rolloverUnits).toBe((100 + 20) * 4);

    const cancelled = await asAdmin.admin.cancelPlan({ userId: plain.id, note: 'Left the company' });
    const detail = await asAdmin.admin.user({ userId: plain.id });
    expect(detail.subscription).toMatchObject({ monthlyUnits: 80, cancelAtPeriodEnd: true });
    expect(new Date(cancelled.endsAt).getTime()).toBe(new Date(detail.subscription!.periodEnd).getTime());
    // Cancelling keeps the credits until the period ends.
    expect(detail.balance.totalUnits).toBe(afterChange.totalUnits);

    const actions = (await listAudit(t.db, { targetUserId: plain.id })).map((a) => [a.action, a.note]);
    expect(actions).toEqual([
      ['subscription.cancel', 'Left the company'],
      ['subscription.change', null],
      ['subscription.start', 'Annual contract'],
    ]);
  });

  it("shows one user's balance by bucket, lots with expiry, ledger entries, holds and images", async () => {
    const d = await asAdmin.admin.user({ userId: user.id });
    expect(d.user).toMatchObject({ email: 'user@example.com', role: 'user', disabled: false });
    const b = await balance(t.db, { userId: user.id });
    expect(d.balance).toMatchObject({ totalUnits: b.totalUnits, paygUnits: b.paygUnits, promoUnits: b.promoUnits });
    expect(d.lots.map((l) => [l.kind, l.amount, l.state])).toEqual(
      expect.arrayContaining([
        ['payg', 40, 'live'],
        ['promo', 9, 'live'],
      ]),
    );
    expect(d.lots.find((l) => l.kind === 'payg')?.expiresAt).toBeInstanceOf(Date);
    expect(
      d.entries
        .filter((e) => e.type === 'grant')
        .map((e) => e.units)
        .sort(),
    ).toEqual([40, 9].sort());
    expect(d.holds).toEqual([]);
    expect(d.images).toEqual([]);
    expect(await codeOf(asAdmin.admin.user({ userId: randomUUID() }))).toBe('NOT_FOUND');
  });

  it('disables and enables, promotes and demotes, with guards for the last admin and oneself', async () => {
    await asAdmin.admin.setDisabled({ userId: user.id, disabled: true, note: 'Left' });
    expect((await getUser(t.db, user.id))?.disabled).toBe(true);
    // A disabled account is signed out everywhere, even with a session.
    expect(await codeOf((await callerFor(t.db, user)).dashboard.summary())).toBe('UNAUTHORIZED');
    await asAdmin.admin.setDisabled({ userId: user.id, disabled: false });
    expect((await getUser(t.db, user.id))?.disabled).toBe(false);

    expect(await codeOf(asAdmin.admin.setDisabled({ userId: admin.id, disabled: true }))).toBe('BAD_REQUEST');
    expect(await codeOf(asAdmin.admin.setRole({ userId: admin.id, role: 'user' }))).toBe('BAD_REQUEST');

    await asAdmin.admin.setRole({ userId: user.id, role: 'admin', note: 'Team lead' });
    expect(await codeOf((await callerFor(t.db, user)).admin.listUsers({}))).toBe('OK');
    await asAdmin.admin.setRole({ userId: user.id, role: 'user' });
    expect(await codeOf((await callerFor(t.db, user)).admin.listUsers({}))).toBe('FORBIDDEN');

    const actions = (await listAudit(t.db, { targetUserId: user.id, limit: 4 })).map((a) => a.action);
    expect(actions).toEqual(['user.demote', 'user.promote', 'user.enable', 'user.disable']);
  });

  it('the audit page shows who, what, when and the note, with emails', async () => {
    const rows = await asAdmin.admin.audit({ limit: 500 });
    const grant = rows.find((r) => r.action === 'credits.grant' && r.note === 'Invoice 114');
    expect(grant).toMatchObject({ actorEmail: 'admin@example.com', targetEmail: 'user@example.com' });
    expect(grant?.at).toBeInstanceOf(Date);
    const mine = await asAdmin.admin.audit({ limit: 500, targetUserId: user.id });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.targetUserId === user.id)).toBe(true);
  });

  it('reports images and credits per day, top users and failures', async () => {
    const now = new Date();
    const yesterday = new Date(now.getTime() - 86_400_000);
    await recordUsage(t.db, { userId: user.id, channel: 'web', kind: 'preview', units: 0, ok: true, now: yesterday });
    await recordUsage(t.db, { userId: user.id, channel: 'web', kind: 'hd', units: 4, ok: true, now: yesterday });
    await recordUsage(t.db, { userId: user.id, channel: 'api', kind: 'preview', units: 1, ok: true, now });
    await recordUsage(t.db, {
      userId: admin.id,
      channel: 'api',
      kind: 'full',
      units: 0,
      ok: false,
      errorCode: 'timeout',
      now,
    });

    const o = await asAdmin.admin.usage({ days: 7 });
    expect(o.days).toHaveLength(7);
    expect(o.totals).toMatchObject({ images: 3, units: 5, failures: 1, activeUsers: 2 });
    const y = o.days.find((d) => d.day === yesterday.toISOString().slice(0, 10));
    expect(y).toMatchObject({ webImages: 2, apiImages: 0, webUnits: 4, apiUnits: 0 });
    expect(o.topUsers[0]).toMatchObject({ email: 'user@example.com', images: 3, units: 5 });
    expect(o.failuresByCode).toEqual([{ errorCode: 'timeout', count: 1 }]);
    expect(o.recentFailures[0]).toMatchObject({ email: 'admin@example.com', channel: 'api', errorCode: 'timeout' });
  });

  it('lists improvement images and counts help feedback', async () => {
    await createImprovement(t.db, {
      userId: user.id,
      source: 'api',
      storageKey: 'improve/a.jpg',
      filename: 'a.jpg',
      tag: 'hair',
    });
    const items = await asAdmin.admin.improvements({ limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({ origin: 'api-improve', userEmail: 'user@example.com', filename: 'a.jpg', tag: 'hair' }),
    ]);
    expect(await asAdmin.admin.improvementsTotal()).toBe(1);

    await recordHelpFeedback(t.db, { topic: 'credits', helpful: true });
    await asUser.help.feedback({ topic: 'credits', helpful: false });
    await asUser.help.feedback({ topic: 'payg', helpful: true });
    expect(await codeOf(anonymous.help.feedback({ topic: 'credits', helpful: true }))).toBe('UNAUTHORIZED');
    expect(await codeOf(asUser.help.feedback({ topic: 'no-such-topic', helpful: true }))).toBe('BAD_REQUEST');
    const counts = await asAdmin.admin.helpFeedback();
    expect(counts).toEqual([
      { topic: 'credits', helpful: 1, notHelpful: 1 },
      { topic: 'payg', helpful: 1, notHelpful: 0 },
    ]);
    // One vote per person and topic: clicking again changes or keeps it, never adds one.
    for (let i = 0; i < 5; i++) await asUser.help.feedback({ topic: 'payg', helpful: true });
    await asUser.help.feedback({ topic: 'credits', helpful: true });
    expect(await asAdmin.admin.helpFeedback()).toEqual([
      { topic: 'credits', helpful: 2, notHelpful: 0 },
      { topic: 'payg', helpful: 1, notHelpful: 0 },
    ]);
  });

  it('narrows the improvement list and total to a date range (whole UTC days), and refuses a bad range with a sentence', async () => {
    // One submission a day from 2025-03-01 to 2025-03-05, each late in its UTC day.
    for (let d = 1; d <= 5; d++)
      await createImprovement(t.db, {
        userId: user.id,
        source: 'api',
        storageKey: `improve/range-${d}.jpg`,
        filename: `range-${d}.jpg`,
        now: new Date(`2025-03-0${d}T23:30:00Z`),
      });
    const names = async (range: { from?: string; to?: string }) =>
      (await asAdmin.admin.improvements({ limit: 10, ...range })).map((i) => i.filename);
    expect(await names({ from: '2025-03-02', to: '2025-03-04' })).toEqual([
      'range-4.jpg',
      'range-3.jpg',
      'range-2.jpg',
    ]);
    expect(await asAdmin.admin.improvementsTotal({ from: '2025-03-02', to: '2025-03-04' })).toBe(3);
    expect(await asAdmin.admin.improvementsTotal({ to: '2025-03-01' })).toBe(1);
    expect(await asAdmin.admin.improvementsTotal({ from: '2025-03-03', to: '2025-03-03' })).toBe(1);
    // An empty end is open: 2025-03-05's and the earlier test's submission (made today).
    expect(await asAdmin.admin.improvementsTotal({ from: '2025-03-05', to: '' })).toBe(2);
    expect(await names({ to: '2025-03-02' })).toEqual(['range-2.jpg', 'range-1.jpg']);

    expect(await trpcError(asAdmin.admin.improvementsTotal({ from: '2025-03-04', to: '2025-03-02' }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'The start date (2025-03-04) is after the end date (2025-03-02); choose a start on or before the end.',
    });
    expect(await trpcError(asAdmin.admin.improvements({ limit: 10, from: '2025-02-30' }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'The start date "2025-02-30" is not a date; write it as YYYY-MM-DD, such as 2026-11-01.',
    });
    expect(await codeOf(asUser.admin.improvementsTotal({ from: '2025-03-01' }))).toBe('FORBIDDEN');
  });
});
