// DATABASE_MIGRATE=check against a real PostgreSQL database: an unmigrated database is refused in
// one sentence pointing at `npm run -s migrate`; once migrated (with `auto`), `check` opens it and
// counts nothing pending.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/client';
import { countPendingMigrations } from '../src/migrations';
import { TEST_DATABASE_URL } from './support';

const name = `bgr_t_${randomBytes(6).toString('hex')}`;
const url = Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${name}` }).toString();

async function admin(statement: string) {
  const sql = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

beforeAll(() => admin(`create database "${name}"`));
afterAll(() => admin(`drop database if exists "${name}" with (force)`));

describe('DATABASE_MIGRATE=check', () => {
  it('refuses an unmigrated database with a sentence naming the migrate step, then opens it once migrated', async () => {
    await expect(createDb({ url, migrate: 'check' })).rejects.toThrow(
      /^The database schema is behind this version \(\d+ migration\(s\) not applied\): run `npm run -s migrate` first/,
    );
    await (await createDb({ url, migrate: 'auto' })).close();
    const handle = await createDb({ url, migrate: 'check' });
    await handle.close();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      expect(await countPendingMigrations(sql)).toBe(0);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
