/**
 * listLots, the admin's lots table for a person and for a team alike: each owner sees its own lots
 * only, newest first, and a lot's state at `now` is pending before it takes effect, live while it
 * has credits, used when drawn to zero and expired from its expiry on.
 */
import { describe, expect, it } from 'vitest';
import { listLots } from '../src/queries/admin';
import { debit, grant } from '../src/queries/ledger';
import { createTeam } from '../src/queries/teams';
import { createUser } from '../src/queries/users';
import { DB_KINDS, withTestDb } from './support';

const T0 = new Date('2030-03-01T00:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

describe.each(DB_KINDS)('listLots on %s', (kind) => {
  const ctx = withTestDb(kind, { reconcile: true });

  it("lists a person's lots and a team's lots apart, each with its state at now", async () => {
    const person = await createUser(ctx.db, { email: 'lots@example.com' });
    const team = await createTeam(ctx.db, { name: 'Lots team', now: T0 });

    await grant(ctx.db, { userId: person.id, units: 8, kind: 'promo', note: 'spent', now: T0 });
    expect(await debit(ctx.db, { userId: person.id, units: 8, now: T0 })).toMatchObject({ ok: true });
    await grant(ctx.db, {
      userId: person.id,
      units: 40,
      kind: 'promo',
      expiresAt: at(10),
      note: 'ten days',
      now: at(1),
    });
    await grant(ctx.db, { teamId: team.id, units: 400, kind: 'payg', note: 'team grant', now: at(2) });

    const state = (lots: Awaited<ReturnType<typeof listLots>>) => lots.map((l) => [l.note, l.remaining, l.state]);
    expect(state(await listLots(ctx.db, { userId: person.id, now: at(3) }))).toEqual([
      ['ten days', 40, 'live'],
      ['spent', 0, 'used'],
    ]);
    expect(state(await listLots(ctx.db, { userId: person.id, now: at(0.5) }))).toEqual([
      ['ten days', 40, 'pending'],
      ['spent', 0, 'used'],
    ]);
    expect(state(await listLots(ctx.db, { userId: person.id, now: at(10) }))).toEqual([
      ['ten days', 40, 'expired'],
      ['spent', 0, 'used'],
    ]);
    expect(await listLots(ctx.db, { userId: person.id, now: at(3), limit: 1 })).toHaveLength(1);

    const ours = await listLots(ctx.db, { teamId: team.id, now: at(3) });
    expect(ours.map((l) => [l.note, l.kind, l.amount, l.remaining, l.state])).toEqual([
      ['team grant', 'payg', 400, 400, 'live'],
    ]);
    expect(ours[0]!.expiresAt).toBeInstanceOf(Date);
    expect(state(await listLots(ctx.db, { teamId: team.id, now: at(1) }))).toEqual([['team grant', 400, 'pending']]);
  });
});
