// DATABASE_MIGRATE=check against a real PostgreSQL database: an unmigrated database is refused in
// one sentence pointing at `npm run -s migrate`; once migrated (with `auto`), `check` opens it and
// counts nothing pending.
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/client';
import { countPendingMigrations } from '../src/migrations';
import { withEmptyPostgres } from './support';

const { url } = withEmptyPostgres();

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
