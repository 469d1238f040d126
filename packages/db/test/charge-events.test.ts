// The charging path's events (src/queries/charge-events.ts), which the web app counts in its
// metrics: a capture tells opened then captured with the units charged, a failure opened then
// released, a replay and a refusal nothing; a listener that throws never breaks a charge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/client';
import { ChargeError, withCharge } from '../src/queries/charge';
import { type ChargeEvent, onChargeEvent } from '../src/queries/charge-events';
import { balance, grant } from '../src/queries/ledger';
import { createUser } from '../src/queries/users';
import { createTestDb } from './support';

let db: Db;
let close: () => Promise<void>;
let seq = 0;
const seen: ChargeEvent[] = [];
const stop = onChargeEvent((e) => seen.push(e));

beforeAll(async () => {
  ({ db, close } = await createTestDb('pglite'));
});
afterAll(async () => {
  stop();
  await close?.();
});

async function newUser(units: number): Promise<string> {
  const id = (await createUser(db, { email: `events${++seq}@example.com` })).id;
  if (units > 0) await grant(db, { userId: id, units, kind: 'promo' });
  return id;
}

describe('charge events', () => {
  it('a capture: opened with the units reserved, captured with the units charged and the channel', async () => {
    const userId = await newUser(8);
    seen.length = 0;
    await withCharge(
      db,
      { userId, units: 4, kind: 'api', channel: 'apps', key: 'api:k1', fingerprint: 'f' },
      async () => ({
        value: 1,
        units: 1,
      }),
    );
    expect(seen).toEqual([
      { event: 'opened', kind: 'api', channel: 'apps', units: 4 },
      { event: 'captured', kind: 'api', channel: 'apps', units: 1 },
    ]);
    // The same key again is a replay: no hold, no event.
    seen.length = 0;
    await withCharge(db, { userId, units: 4, kind: 'api', key: 'api:k1', fingerprint: 'f' }, async () => ({
      value: 1,
    }));
    expect(seen).toEqual([]);
  });

  it('a failure: opened, then released (channel defaults to the kind); a refusal: nothing', async () => {
    const userId = await newUser(4);
    seen.length = 0;
    await expect(
      withCharge(db, { userId, units: 4, kind: 'hd' }, async () => {
        throw new Error('render failed');
      }),
    ).rejects.toThrow('render failed');
    expect(seen).toEqual([
      { event: 'opened', kind: 'hd', channel: 'hd', units: 4 },
      { event: 'released', kind: 'hd', channel: 'hd', units: 4 },
    ]);
    seen.length = 0;
    await expect(withCharge(db, { userId, units: 40, kind: 'api' }, async () => ({ value: 1 }))).rejects.toBeInstanceOf(
      ChargeError,
    );
    expect(seen).toEqual([]);
  });

  it('a listener that throws does not break the charge', async () => {
    const userId = await newUser(4);
    const off = onChargeEvent(() => {
      throw new Error('listener broke');
    });
    try {
      const done = await withCharge(db, { userId, units: 4, kind: 'api' }, async () => ({ value: 'ok' }));
      expect(done.units).toBe(4);
      expect((await balance(db, { userId })).totalUnits).toBe(0);
    } finally {
      off();
    }
  });
});
