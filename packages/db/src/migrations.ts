// Whether a PostgreSQL database's schema is current, for a process told not to migrate it itself
// (DATABASE_MIGRATE=check: the web replicas of a scaled-out install, where `npm run -s migrate` is a
// separate step run once). It compares the committed drizzle migrations with the newest one the
// database recorded, the same rule drizzle's migrator applies.
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type postgres from 'postgres';
import { migrationsFolder } from './paths';

/** How many committed migrations the database has not applied yet (all of them on an empty database). */
export async function countPendingMigrations(sql: postgres.Sql): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder: migrationsFolder() });
  const [table] = await sql<
    { exists: boolean }[]
  >`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
  if (!table?.exists) return migrations.length;
  const [last] = await sql<
    { created_at: string | null }[]
  >`select max(created_at) as created_at from drizzle.__drizzle_migrations`;
  const applied = Number(last?.created_at ?? 0);
  return migrations.filter((m) => m.folderMillis > applied).length;
}

/** The sentence a process that may not migrate stops with. */
export function schemaBehindMessage(pending: number): string {
  return `The database schema is behind this version (${pending} migration(s) not applied): run \`npm run -s migrate\` first, or start with --migrate.`;
}
