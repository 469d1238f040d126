/**
 * The product's processes started the way a deployer starts them (`npm run -s <script>`), for the
 * specs that scale it out on loopback (cluster, status), each on a PostgreSQL database of its own:
 * start a part with its output in test-results/<spec>-<name>.log, find its server's pid to kill it
 * as a crash would, wait until a URL is ready, and stop whatever is still running at the end.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { E2E } from './stack';

export const results = path.join(E2E.repoRoot, 'apps/web/test-results');
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of database `name` on TEST_DATABASE_URL's server. */
export function databaseUrl(name: string): string {
  return Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${name}` }).toString();
}

/** Runs one SQL statement on the server's maintenance database (to create and drop a spec's own). */
export function psql(statement: string) {
  const res = spawnSync('psql', [databaseUrl('postgres'), '-qc', statement], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
}

export type Part = { name: string; child: ChildProcess; exited: Promise<number | null> };

/** The server's own pid: npm's child (the script execs node, so no shell sits between). */
export function serverPid(part: Part): number {
  const res = spawnSync('ps', ['-o', 'pid=', '--ppid', String(part.child.pid)], { encoding: 'utf8' });
  const pid = Number(res.stdout.trim().split('\n')[0]);
  if (!pid) throw new Error(`${part.name} has no server process.`);
  return pid;
}

/** Polls `url`/readyz every `everyMs` until it answers 200. */
export async function waitReady(url: string, timeoutMs: number, everyMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3000) })).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s.`);
}

/** The parts one spec starts; `spec` names their log files. */
export function replicaParts(spec: string) {
  const parts: Part[] = [];
  return {
    /** `npm run -s <script>` in the foreground, its output in test-results/<spec>-<name>.log. */
    start(name: string, script: string, env: Record<string, string>): Part {
      const log = createWriteStream(path.join(results, `${spec}-${name}.log`), { flags: 'a' });
      const child = spawn('npm', ['run', '-s', script], { cwd: E2E.repoRoot, env: { ...process.env, ...env } });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const part = { name, child, exited };
      parts.push(part);
      return part;
    },
    /** SIGTERM to npm reaches the server (it drains and exits); whatever is left after 40 s is killed. */
    async stopAll(): Promise<void> {
      const running = parts.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
      const pids = running.map((p) => {
        try {
          return serverPid(p);
        } catch {
          return 0;
        }
      });
      for (const p of running) p.child.kill('SIGTERM');
      const late = setTimeout(() => {
        for (const pid of pids) if (pid) process.kill(pid, 'SIGKILL');
      }, 40_000);
      await Promise.all(running.map((p) => p.exited));
      clearTimeout(late);
    },
  };
}
