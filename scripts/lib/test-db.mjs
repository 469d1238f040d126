// PostgreSQL for the test suites: make sure the local cluster runs, and create throwaway databases.
// Plain ESM with no dependencies (it runs before anything else is known to work).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const HOST = process.env.PGHOST || '127.0.0.1';
const USER = process.env.PGUSER || 'postgres';
const INSTALL_HINT =
  'PostgreSQL is not installed; install it with "apt-get install -y postgresql" (Debian/Ubuntu), or set DATABASE_URL to a server you have, then run npm test again.';

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Installed server versions, newest first, from /etc/postgresql/<version>. */
function installedVersions() {
  if (!existsSync('/etc/postgresql')) return [];
  return readdirSync('/etc/postgresql')
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
}

/** The clusters pg_lsclusters knows: [{ version, name, port, online }]. */
function clusters() {
  const out = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 4 && /^\d/.test(cols[0]))
    .map(([version, name, port, status]) => ({
      version,
      name,
      port: Number(port),
      online: status.startsWith('online'),
    }));
}

function ready(port) {
  return spawnSync('pg_isready', ['-q', '-h', HOST, '-p', String(port)], { stdio: 'ignore' }).status === 0;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let serverPort = Number(process.env.PGPORT) || 5432;

/**
 * Makes sure the local PostgreSQL cluster accepts connections, starting it if it is down.
 * Resolves to true when it had to start it, false when it was already running; throws an Error
 * whose message is a sentence saying what to do when PostgreSQL is missing or will not start.
 */
export async function ensurePostgres() {
  if (!hasCommand('psql') || !hasCommand('pg_lsclusters')) throw new Error(INSTALL_HINT);
  const versions = installedVersions();
  if (versions.length === 0) throw new Error(INSTALL_HINT);
  const all = clusters();
  const cluster =
    all.find((c) => c.version === versions[0] && c.name === 'main') ?? all.find((c) => c.name === 'main') ?? all[0];
  if (!cluster) {
    throw new Error(
      `PostgreSQL ${versions[0]} is installed but has no cluster; create one with "pg_createcluster ${versions[0]} main --start" and run npm test again.`,
    );
  }
  serverPort = Number(process.env.PGPORT) || cluster.port;
  if (cluster.online && ready(serverPort)) return false;

  const start = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start'], {
    encoding: 'utf8',
  });
  // Exit status 2 means "already running"; anything else unexpected is reported below if it never gets ready.
  for (let waited = 0; waited < 30_000; waited += 250) {
    if (ready(serverPort)) return true;
    await sleep(250);
  }
  const why = (start.stderr || start.stdout || '').trim().split('\n').pop();
  throw new Error(
    `PostgreSQL ${cluster.version}/${cluster.name} did not start${why ? ` (${why})` : ''}; start it with "pg_ctlcluster --skip-systemctl-redirect ${cluster.version} ${cluster.name} start" and run npm test again.`,
  );
}

/** Creates an empty database bgr_ci_<timestamp> on the local server and resolves to its URL. */
export async function createThrowawayDatabase() {
  const name = `bgr_ci_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${Math.random().toString(36).slice(2, 6)}`;
  const run = spawnSync('createdb', ['-h', HOST, '-p', String(serverPort), '-U', USER, name], { encoding: 'utf8' });
  if (run.status !== 0) {
    const why = (run.stderr || '').trim().split('\n').pop();
    throw new Error(
      `Could not create the test database ${name} on ${HOST}:${serverPort}${why ? ` (${why})` : ''}; check that user ${USER} may create databases.`,
    );
  }
  return `postgres://${USER}@${HOST}:${serverPort}/${name}`;
}
