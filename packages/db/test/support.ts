import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, expect } from 'vitest';
import { createDb, type Db } from '../src/client';
import { migrationsFolder } from '../src/paths';
import { reconcile } from '../src/queries/ledger';

export type TestDbKind = 'pglite' | 'postgres';

/** The maintenance database that test databases are created from (TEST_DATABASE_URL, else the local server). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function newDatabaseName(): string {
  return `bgr_t_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement (create or drop a database) on TEST_DATABASE_URL's server, on a connection of its own. */
async function onServer(statement: string): Promise<void> {
  const sql = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

let template: Promise<string> | undefined;

/**
 * A migrated, empty PGlite data folder to copy: creating one (initdb) takes tens of seconds on a
 * busy machine, copying one about a second. Keyed by the migrations, shared by test processes.
 */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const folder = migrationsFolder();
    const hash = createHash('sha256');
    for (const file of readdirSync(folder, { recursive: true }).map(String).sort()) {
      if (file.endsWith('.sql') || file.endsWith('.json'))
        hash.update(file).update(readFileSync(path.join(folder, file)));
    }
    const dir = path.join(tmpdir(), `bgr-pglite-template-${hash.digest('hex').slice(0, 16)}`);
    if (existsSync(dir)) return dir;
    const building = mkdtempSync(`${dir}.building-`);
    await (await createDb({ dataDir: building })).close();
    try {
      renameSync(building, dir);
    } catch {
      // Another test process finished first; its template is the same.
      rmSync(building, { recursive: true, force: true });
    }
    return dir;
  })();
  return template;
}

/** A new temp folder holding a migrated, empty PGlite database (not opened); the caller removes it. */
export async function createPgliteDataDir(): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bgr-pglite-'));
  cpSync(await pgliteTemplate(), dataDir, { recursive: true });
  return dataDir;
}

/**
 * A fresh, migrated database for one test file: PGlite in a new temp folder, or a new PostgreSQL
 * database `bgr_t_<random>` on TEST_DATABASE_URL's server. `close()` removes it.
 */
export async function createTestDb(
  kind: TestDbKind,
): Promise<{ db: Db; close(): Promise<void>; url?: string; dataDir?: string }> {
  if (kind === 'pglite') {
    const dataDir = await createPgliteDataDir();
    const handle = await createDb({ dataDir });
    return {
      db: handle.db,
      dataDir,
      close: async () => {
        await handle.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = newDatabaseName();
  await onServer(`create database "${name}"`);
  const url = withDatabase(TEST_DATABASE_URL, name);
  const handle = await createDb({ url });
  return {
    db: handle.db,
    url,
    close: async () => {
      await handle.close();
      await onServer(`drop database if exists "${name}" with (force)`);
    },
  };
}

/** Both engines, for `describe.each(DB_KINDS)`. */
export const DB_KINDS: TestDbKind[] = ['postgres', 'pglite'];

/** What `withTestDb` opens: the database and, on PostgreSQL, its URL (for a second connection or a process). */
export type TestDb = { db: Db; url?: string; dataDir?: string };

/**
 * A fresh database of `kind` for the enclosing `describe`: opened in its beforeAll (the fields are
 * empty until then), removed in its afterAll. With `reconcile`, afterAll first asserts the ledger
 * reconciles with no drift, so every test of the block must leave it consistent.
 */
export function withTestDb(kind: TestDbKind, opts: { reconcile?: boolean } = {}): TestDb {
  const ctx = {} as TestDb;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { close: remove, ...opened } = await createTestDb(kind);
    close = remove;
    Object.assign(ctx, opened);
  });
  afterAll(async () => {
    if (opts.reconcile && ctx.db) expect(await reconcile(ctx.db)).toMatchObject({ ok: true, drift: [] });
    await close?.();
  });
  return ctx;
}

/**
 * A new, empty (unmigrated) PostgreSQL database on TEST_DATABASE_URL's server for the enclosing
 * file or `describe`, for tests of migrating itself: created in its beforeAll, dropped in its
 * afterAll. Its name and URL are known at once.
 */
export function withEmptyPostgres(name = newDatabaseName()): { name: string; url: string } {
  beforeAll(() => onServer(`create database "${name}"`));
  afterAll(() => onServer(`drop database if exists "${name}" with (force)`));
  return { name, url: withDatabase(TEST_DATABASE_URL, name) };
}

/**
 * Makes the migration `tag` and every later one pending again, so the next createDb applies them:
 * a migration test puts the database back to how the code before `tag` left it (drops what `tag`
 * added, stores rows the old way), then reopens it. The migrator applies what is newer than its
 * last record, so the later records must go too; migrations from 0011 on are written to run again
 * harmlessly (IF NOT EXISTS) over what a later one already did.
 */
export async function forgetMigrationsFrom(db: Db, tag: string): Promise<void> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ tag: string; when: number }>;
  };
  const migration = journal.entries.find((e) => e.tag === tag);
  if (!migration) throw new Error(`No migration ${tag} in the journal.`);
  await db.execute(sql`delete from drizzle.__drizzle_migrations where created_at >= ${migration.when}`);
}
