/**
 * The README's configuration table (root README.md, "## Configuration") and the schemas that
 * read the variables stay in step: every variable a schema reads is in the table, and every
 * variable in the table is read by a schema or listed below with the reason it is not.
 * Schemas: the web app's (apps/web/src/env.ts, with @bgr/db's and @bgr/inference-client's pieces)
 * and the inference service's (apps/inference/src/server/config.ts, loaded by path: the web app
 * does not depend on that app). The inference README's own table is checked against its schema too.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV_NAMES } from '~/env';
import { inferenceClientEnvSchema } from '@bgr/inference-client/env';

const repo = (p: string) => fileURLToPath(new URL(`../../../../${p}`, import.meta.url));

/** In the table, read outside the schemas (by scripts run before the servers, or by Next.js's config). */
const DOCUMENTED_ELSEWHERE: Record<string, string> = {
  PORT: 'scripts/start.mjs passes it to `next start -p`',
  HOST: 'scripts/start.mjs passes it to `next start -H`',
  NEXT_DIST_DIR: 'apps/web/next.config.ts (build folder) and scripts/start.mjs',
  SKIP_BUILD: 'scripts/start.mjs only',
  INFERENCE_READY_TIMEOUT_MS: 'scripts/start.mjs only',
  ADMIN_EMAIL: 'scripts/lib/ensure-admin.ts (npm start) only',
  ADMIN_PASSWORD: 'scripts/lib/ensure-admin.ts (npm start) only',
};

/** Read by a schema, not a setting people choose. */
const NOT_A_SETTING: Record<string, string> = {
  NODE_ENV: 'set by Next.js and npm start (production), by vitest (test)',
};

/** The variable names in the first column of a markdown table's rows within `section`. */
function tableNames(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, `${heading} is in the README`).toBeGreaterThanOrEqual(0);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const firstCell = line.split('|')[1] ?? '';
    for (const [, name] of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(name!);
  }
  return [...names];
}

let inferenceNames: string[];
beforeAll(async () => {
  // By path, not by package name: apps do not depend on apps (a test reads the other's schema).
  const configPath = repo('apps/inference/src/server/config.ts');
  const mod = (await import(/* @vite-ignore */ configPath)) as {
    inferenceEnvSchema: { shape: Record<string, unknown> };
  };
  inferenceNames = Object.keys(mod.inferenceEnvSchema.shape);
});

describe("root README's configuration table", () => {
  const documented = tableNames(readFileSync(repo('README.md'), 'utf8'), '## Configuration');

  it('lists every variable a schema reads', () => {
    const read = new Set([...ENV_NAMES, ...inferenceNames]);
    const missing = [...read].filter((n) => !documented.includes(n) && !(n in NOT_A_SETTING));
    expect(missing).toEqual([]);
    expect(read.size).toBeGreaterThan(30);
  });

  it('lists nothing that no schema reads (except the variables of npm start and next.config, named above)', () => {
    const read = new Set<string>([...ENV_NAMES, ...inferenceNames]);
    const unread = documented.filter((n) => !read.has(n) && !(n in DOCUMENTED_ELSEWHERE));
    expect(unread).toEqual([]);
    // The allow-list holds only names the table has.
    expect(Object.keys(DOCUMENTED_ELSEWHERE).filter((n) => !documented.includes(n))).toEqual([]);
  });
});

describe("apps/inference/README.md's configuration table", () => {
  it("matches the service's schema plus the client's piece", () => {
    const documented = tableNames(readFileSync(repo('apps/inference/README.md'), 'utf8'), '## Configuration');
    const read = new Set([...inferenceNames, ...Object.keys(inferenceClientEnvSchema.shape)]);
    expect(inferenceNames.filter((n) => !documented.includes(n))).toEqual([]);
    expect(documented.filter((n) => !read.has(n))).toEqual([]);
  });
});
