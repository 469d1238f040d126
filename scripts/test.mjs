#!/usr/bin/env node
// Runs every suite of the repository in turn and closes with one plain line that CI reads:
// "N passed, N failed". Suites: each workspace's vitest tests, then the Playwright stories
// against the production build. Exits non-zero when anything failed or a suite could not run.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, '.cache/test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const prepared = existsSync(join(root, '.cache/test-env.json'))
  ? JSON.parse(readFileSync(join(root, '.cache/test-env.json'), 'utf8'))
  : {};
const env = { ...process.env, ...prepared, NODE_ENV: 'test', FORCE_COLOR: '0' };
delete env.DATABASE_URL; // suites choose their own databases; TEST_DATABASE_URL names the server.

const vitestSuites = [
  { name: 'credits', dir: 'packages/credits' },
  { name: 'db', dir: 'packages/db' },
  { name: 'inference-client', dir: 'packages/inference-client' },
  { name: 'storage', dir: 'packages/storage' },
  { name: 'strokes', dir: 'packages/strokes' },
  { name: 'inference', dir: 'apps/inference' },
  { name: 'web', dir: 'apps/web' },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
/** Each failing test by name, repeated just above the closing line: CI shows only the log's tail. */
const failures = [];

function run(cmd, args, opts) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', env, ...opts });
  return { status: result.status ?? 1, seconds: Math.round((Date.now() - started) / 1000) };
}

/** The first non-empty line of a failure message, short enough for one log line. */
function firstLine(messages) {
  const line =
    (messages ?? [])
      .join('\n')
      .split('\n')
      .find((l) => l.trim()) ?? '';
  return line.trim().slice(0, 300);
}

/** Without terminal colour codes (FORCE_COLOR is 0, but a reporter may still add them). */
function stripColour(text) {
  return text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
}

/** Playwright's failing tests, from its JSON report's nested suites. */
function playwrightFailures(suite, path = []) {
  const out = [];
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests ?? []) {
      if (t.status === 'unexpected' || t.status === 'flaky') {
        const error = (t.results ?? []).flatMap((r) => (r.error?.message ? [r.error.message] : []));
        out.push(
          `e2e: ${spec.file}:${spec.line} › ${[...path, spec.title].join(' › ')} (${t.status}): ${firstLine(error)}`,
        );
      }
    }
  }
  for (const child of suite.suites ?? []) {
    // A describe() block adds its title; the file's own suite does not.
    out.push(...playwrightFailures(child, child.file && child.title === child.file ? path : [...path, child.title]));
  }
  return out;
}

function hasTests(dir) {
  const r = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', dir], {
    cwd: root,
    encoding: 'utf8',
  });
  return /\.(test|spec)\.(ts|tsx|mts|js|mjs)$/m.test(r.stdout);
}

// Format and lint first (Biome, biome.json): cheapest to run, and a formatting slip is not a test failure to hunt.
{
  console.log('\n=== lint: biome check (format + lint) ===');
  const { status, seconds } = run(join(root, 'node_modules/.bin/biome'), ['check', '.'], { cwd: root });
  if (status === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    problems.push('lint failed (npm run format fixes formatting; read the rule for the rest)');
  }
  console.log(`=== lint: ${status === 0 ? 'clean' : 'FAILED'} in ${seconds}s ===`);
}

// Types first: the production build skips its own type check, so this is where types are held.
{
  console.log('\n=== typecheck: every workspace (tsc --noEmit) ===');
  const { status, seconds } = run(
    join(root, 'node_modules/.bin/turbo'),
    ['run', 'typecheck', '--output-logs=errors-only'],
    { cwd: root, env: { ...env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
  if (status === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    problems.push('typecheck failed');
  }
  console.log(`=== typecheck: ${status === 0 ? 'clean' : 'FAILED'} in ${seconds}s ===`);
}

for (const suite of vitestSuites) {
  if (!hasTests(join(root, suite.dir))) continue;
  const out = join(reports, `vitest-${suite.name}.json`);
  console.log(`\n=== ${suite.name}: vitest (${suite.dir}) ===`);
  const { status, seconds } = run(
    join(root, 'node_modules/.bin/vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    { cwd: join(root, suite.dir) },
  );
  if (!existsSync(out)) {
    problems.push(`${suite.name}: vitest did not report (exit ${status})`);
    totals.failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that fails to load counts no test, but it is a failure all the same.
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length;
  totals.failed += brokenFiles;
  for (const file of report.testResults ?? []) {
    const where = file.name.replace(`${root}/`, '');
    for (const a of file.assertionResults ?? []) {
      if (a.status === 'failed')
        failures.push(`${suite.name}: ${where} › ${a.fullName}: ${firstLine(a.failureMessages)}`);
    }
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
      failures.push(`${suite.name}: ${where} did not load: ${firstLine([file.message])}`);
    }
  }
  if (status !== 0 && report.numFailedTests + brokenFiles === 0) {
    problems.push(`${suite.name}: vitest exited ${status}`);
    totals.failed += 1;
  }
  console.log(
    `=== ${suite.name}: ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed in ${seconds}s ===`,
  );
}

// Browser stories against the production build (Playwright with the system Chromium).
if (hasTests(join(root, 'apps/web/e2e'))) {
  console.log('\n=== web: next build (production) ===');
  const build = run('npm', ['run', '-s', 'build', '-w', '@bgr/web'], { cwd: root });
  if (build.status !== 0) {
    problems.push('web: next build failed');
    totals.failed += 1;
  } else {
    console.log(`=== web: built in ${build.seconds}s; Playwright ===`);
    const out = join(reports, 'playwright.json');
    const { status, seconds } = run(join(root, 'node_modules/.bin/playwright'), ['test', '--reporter=list,json'], {
      cwd: join(root, 'apps/web'),
      env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
    });
    if (!existsSync(out)) {
      problems.push(`e2e: Playwright did not report (exit ${status})`);
      totals.failed += 1;
    } else {
      const pw = JSON.parse(readFileSync(out, 'utf8'));
      const stats = pw.stats ?? {};
      for (const top of pw.suites ?? []) failures.push(...playwrightFailures(top));
      totals.passed += stats.expected ?? 0;
      totals.failed += (stats.unexpected ?? 0) + (stats.flaky ?? 0);
      totals.skipped += stats.skipped ?? 0;
      if (status !== 0 && !(stats.unexpected > 0)) {
        problems.push(`e2e: Playwright exited ${status}`);
        totals.failed += 1;
      }
      console.log(
        `=== e2e: ${stats.expected ?? 0} passed, ${(stats.unexpected ?? 0) + (stats.flaky ?? 0)} failed in ${seconds}s ===`,
      );
    }
  }
}

if (prepared.TEST_DATABASE_URL && !process.env.DATABASE_URL && !process.env.KEEP_TEST_DB) {
  const name = new URL(prepared.TEST_DATABASE_URL).pathname.slice(1);
  const maintenance = new URL(prepared.TEST_DATABASE_URL);
  maintenance.pathname = '/postgres';
  spawnSync('psql', [maintenance.toString(), '-qc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], {
    stdio: 'ignore',
  });
}

for (const f of failures) console.log(`failed: ${stripColour(f)}`);
for (const p of problems) console.log(`problem: ${p}`);
if (totals.passed + totals.failed === 0) {
  console.log('No test ran.');
  process.exit(1);
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
