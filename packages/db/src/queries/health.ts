// The cheapest question a database can answer: used by readiness checks (the web app's /readyz).
import { sql } from 'drizzle-orm';
import type { Db } from '../client';

/** Resolves when the database answers a trivial query; rejects otherwise. */
export async function pingDb(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
