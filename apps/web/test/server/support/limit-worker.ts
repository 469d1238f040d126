/**
 * One "web replica" for shared-limits.test.ts: a separate process with its own database handle
 * that takes the API rate limit, the upload quota and sign-in attempts for one user, and prints
 * how many were admitted. Limits kept in process memory would admit each process's full share.
 * Usage: tsx limit-worker.ts <userId> <uploads> <apiCalls> <apiLimit> <signIns> <client address>  (DATABASE_URL set)
 */
import { createDb } from '@bgr/db/client';
import { readDbEnv } from '@bgr/db/env';
import { takeApiRate } from '../../../src/server/rate-limit';
import { beginSignInAttempt } from '../../../src/server/signin-throttle';
import { takeWebQuota } from '../../../src/server/web-quota';

const [userId = '', uploads, apiCalls, apiLimit, signIns, address = ''] = process.argv.slice(2);
const handle = await createDb({ url: readDbEnv().databaseUrl });
const admitted = { uploads: 0, api: 0, signIns: 0 };
const tasks: Promise<void>[] = [];
for (let i = 0; i < Number(uploads); i++)
  tasks.push(
    takeWebQuota(handle.db, userId, 'upload').then(
      () => void admitted.uploads++,
      () => {},
    ),
  );
for (let i = 0; i < Number(apiCalls); i++)
  tasks.push(takeApiRate(handle.db, userId, Number(apiLimit)).then((d) => void (d.ok && admitted.api++)));
for (let i = 0; i < Number(signIns); i++)
  tasks.push(
    beginSignInAttempt(handle.db, `${userId}@example.com`, address).then((a) => void (a.ok && admitted.signIns++)),
  );
await Promise.all(tasks);
await handle.close();
process.stdout.write(`${JSON.stringify(admitted)}\n`);
