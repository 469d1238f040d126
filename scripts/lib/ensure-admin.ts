/**
 * Run by scripts/start.mjs (through tsx) before the web server starts: opens the database
 * (PGlite in DATA_DIR, or DATABASE_URL), creates the first admin when there is none, closes it.
 * Prints one JSON line: {"created":false}, {"created":true,"email":…,"password":…|null}, or
 * {"created":false,"reason":"<one sentence>"} when ADMIN_EMAIL names an existing account (it is
 * never promoted: whoever signed up first with that address would become the admin).
 * password is null when it came from ADMIN_PASSWORD (never echo a secret the operator chose).
 */
import { randomBytes } from 'node:crypto';
import { createDb } from '@bgr/db/client';
import { ensureFirstAdmin } from '@bgr/db/queries/users';

async function main() {
  const handle = await createDb({
    url: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATA_DIR || undefined,
  });
  try {
    const email = (process.env.ADMIN_EMAIL || 'admin@localhost').trim().toLowerCase();
    const given = process.env.ADMIN_PASSWORD;
    // 18 random bytes → 24 base64url characters: typeable, ~144 bits.
    const password = given || randomBytes(18).toString('base64url');
    const result = await ensureFirstAdmin(handle.db, { email, password });
    if (result.outcome === 'exists') console.log(JSON.stringify({ created: false }));
    else if (result.outcome === 'refused') console.log(JSON.stringify({ created: false, reason: result.reason }));
    else console.log(JSON.stringify({ created: true, email, password: given ? null : password }));
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
