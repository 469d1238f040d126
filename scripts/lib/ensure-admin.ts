/**
 * Run by scripts/start.mjs (through tsx) before the web server starts: opens the database
 * (PGlite in DATA_DIR, or DATABASE_URL), creates the first admin when there is none, closes it.
 * Prints one JSON line: {"created":false} or {"created":true,"email":…,"password":…|null}.
 * password is null when it came from ADMIN_PASSWORD (never echo a secret the operator chose).
 */
import { randomBytes } from 'node:crypto';
import { createDb } from '@bgr/db/client';
import { countAdmins, createUser, findUserByEmail, setRole } from '@bgr/db/queries/users';

async function main() {
  const handle = await createDb({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || undefined });
  try {
    const db = handle.db;
    if ((await countAdmins(db)) > 0) {
      console.log(JSON.stringify({ created: false }));
      return;
    }
    const email = (process.env.ADMIN_EMAIL || 'admin@localhost').trim().toLowerCase();
    const given = process.env.ADMIN_PASSWORD;
    // 18 random bytes → 24 base64url characters: typeable, ~144 bits.
    const password = given || randomBytes(18).toString('base64url');
    const existing = await findUserByEmail(db, email);
    if (existing) {
      // Someone signed up with the admin address before any admin existed: promote, keep their password.
      await setRole(db, existing.id, 'admin');
      console.log(JSON.stringify({ created: true, email, password: null, promoted: true }));
      return;
    }
    await createUser(db, { email, password, name: 'Administrator', role: 'admin' });
    console.log(JSON.stringify({ created: true, email, password: given ? null : password }));
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
