// `npm run -s migrate`: applies the committed schema migrations to the database the environment
// names (DATABASE_URL, else the embedded one in DATA_DIR) and exits 0 — a no-op when the schema is
// current, safe to run from several places at once (an advisory lock serialises PostgreSQL
// migrators). The separate step of a scaled-out install: a compose service, a Kubernetes Job.
import { createDb } from '../client';
import { readDbEnv } from '../env';

async function main(): Promise<number> {
  let env: ReturnType<typeof readDbEnv>;
  try {
    env = readDbEnv();
  } catch (e) {
    console.error(`migrate: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const where = env.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : 'the embedded database (DATA_DIR)';
  try {
    const handle = await createDb({ url: env.databaseUrl, dataDir: env.dataDir, migrate: 'auto' });
    await handle.close();
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ECONNREFUSED' || code === 'ENOTFOUND' ? `no connection (${code})` : String(e);
    console.error(`migrate: could not migrate ${where}: ${e instanceof Error && !code ? e.message : why}.`);
    return 1;
  }
  console.error(`migrate: ${where} is at the current schema.`);
  return 0;
}

process.exitCode = await main();
