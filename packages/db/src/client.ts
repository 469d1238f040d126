import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import * as schema from './schema';
import { lockDataDir } from './data-dir-lock';
import { readDbEnv } from './env';
import { countPendingMigrations, schemaBehindMessage } from './migrations';
import { defaultDataDir, migrationsFolder } from './paths';

export type Schema = typeof schema;
/** One type for both drivers (and for transactions, which are databases too). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Db;
  /** 'postgres' (postgres.js, DATABASE_URL) or 'pglite' (embedded, data folder). */
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** Notices such as "schema drizzle already exists, skipping" are chatter: never on stdout. */
function onNotice(notice: postgres.Notice): void {
  if (
    notice.severity === 'NOTICE' ||
    notice.severity === 'DEBUG' ||
    notice.severity === 'INFO' ||
    notice.severity === 'LOG'
  )
    return;
  process.stderr.write(`postgres ${notice.severity}: ${notice.message}\n`);
}

// Any 64-bit number both migrating processes agree on.
const MIGRATION_LOCK_ID = 4_206_180_001;

async function openPostgres(url: string, migrate: MigrateMode): Promise<DbHandle> {
  // Migrate on one dedicated connection so the advisory lock (two processes starting together,
  // e.g. app + CLI, must not apply the same migration twice) and the migration share a session.
  const migrator = postgres(url, { onnotice: onNotice, max: 1 });
  try {
    if (migrate === 'check') {
      const pending = await countPendingMigrations(migrator);
      if (pending > 0) throw new Error(schemaBehindMessage(pending));
    } else {
      await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
      await migratePostgres(drizzlePostgres(migrator, { schema }), { migrationsFolder: migrationsFolder() });
      await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    await migrator.end({ timeout: 5 });
  }
  const sql = postgres(url, { onnotice: onNotice, max: 10 });
  const db = drizzlePostgres(sql, { schema }) as unknown as Db;
  return { db, kind: 'postgres', close: () => sql.end({ timeout: 5 }) };
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const unlock = lockDataDir(dataDir);
  let client: PGlite | undefined;
  try {
    client = await PGlite.create(dataDir);
    const pdb = drizzlePglite(client, { schema });
    await migratePglite(pdb, { migrationsFolder: migrationsFolder() });
    const opened = client;
    return {
      db: pdb as unknown as Db,
      kind: 'pglite',
      close: async () => {
        try {
          await opened.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (e) {
    await client?.close().catch(() => {});
    unlock();
    throw e;
  }
}

/**
 * 'auto': apply pending migrations on open (one machine, the admin CLI, `npm run -s migrate`);
 * 'check': PostgreSQL only — refuse to open, in one sentence, while migrations are pending
 * (scaled-out web replicas, where migrating is a separate step). The embedded database always migrates.
 */
export type MigrateMode = 'auto' | 'check';

/**
 * Opens a database and applies pending migrations (or checks there are none, `migrate: 'check'`):
 * `url` → PostgreSQL, else PGlite in `dataDir` (left out: DATA_DIR from readDbEnv, else <repo root>/.data).
 */
export async function createDb(
  opts: { url?: string; dataDir?: string; migrate?: MigrateMode } = {},
): Promise<DbHandle> {
  if (opts.url) return openPostgres(opts.url, opts.migrate ?? 'auto');
  return openPglite(opts.dataDir ?? defaultDataDir(readDbEnv().dataDir));
}

/** The database the environment names (readDbEnv: DATABASE_URL, else DATA_DIR); a bad value throws its sentence. */
export async function createDbFromEnv(): Promise<DbHandle> {
  const env = readDbEnv();
  return createDb({ url: env.databaseUrl, dataDir: env.dataDir, migrate: env.migrate });
}

const globalKey = Symbol.for('@bgr/db/handle');
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DbHandle> };

/** The process-wide database: DATABASE_URL (PostgreSQL) if set, else PGlite in DATA_DIR (default <repo>/.data). */
export function getDb(): Promise<Db> {
  const g = globalThis as GlobalWithDb;
  // Kept on globalThis so Next's dev-mode module reloading does not open a second PGlite.
  g[globalKey] ??= createDbFromEnv().catch((e: unknown) => {
    delete g[globalKey];
    throw e;
  });
  return g[globalKey].then((h) => h.db);
}

/** Closes the process-wide database (tests, CLI, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const pending = g[globalKey];
  delete g[globalKey];
  if (pending) await (await pending).close();
}

export { schema };
