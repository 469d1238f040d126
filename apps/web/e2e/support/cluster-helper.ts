/**
 * The cluster test's helpers that need our TypeScript packages, run with tsx in their own process
 * (the spec itself stays plain): `s3` starts a real S3-protocol server (s3rver) and prints the
 * variables a replica needs, then serves until SIGTERM; `seed` creates a user with a password,
 * credits and an API key in DATABASE_URL and prints them; `check` prints what the test asserts at
 * the end: the user's balance, the captured holds, reconcile's report and the scheduler's runs.
 */
import { createDb } from '@bgr/db/client';
import { createApiKey } from '@bgr/db/queries/api-keys';
import { balance, grant, reconcile } from '@bgr/db/queries/ledger';
import { createUser } from '@bgr/db/queries/users';
import { holds, schedulerRuns } from '@bgr/db/schema';
import { startS3rver } from '@bgr/storage/test-support/s3rver';
import { eq } from 'drizzle-orm';

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function main() {
  const mode = process.argv[2];
  if (mode === 's3') {
    const s3 = await startS3rver({ bucket: 'bgr-cluster' });
    print({ env: s3.env('cluster') });
    process.on('SIGTERM', () => void s3.close().then(() => process.exit(0)));
    return;
  }
  const handle = await createDb({ url: process.env.DATABASE_URL, migrate: 'check' });
  try {
    if (mode === 'seed') {
      const user = await createUser(handle.db, {
        email: process.env.SEED_EMAIL!,
        password: process.env.SEED_PASSWORD!,
      });
      await grant(handle.db, { userId: user.id, units: Number(process.env.SEED_UNITS), kind: 'promo' });
      const key = await createApiKey(handle.db, { userId: user.id, name: 'cluster' });
      print({ userId: user.id, apiKey: key.key });
    } else if (mode === 'check') {
      const userId = process.env.CHECK_USER_ID!;
      const captured = await handle.db.select().from(holds).where(eq(holds.userId, userId));
      print({
        balance: await balance(handle.db, { userId }),
        holds: captured.map((h) => ({ key: h.key, status: h.status, units: h.capturedUnits ?? h.units })),
        reconcile: await reconcile(handle.db),
        schedulerRuns: await handle.db.select().from(schedulerRuns),
      });
    } else throw new Error(`Unknown mode ${mode}.`);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
