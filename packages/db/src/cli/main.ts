/**
 * The admin CLI: `npm run -s admin -- <command> …` from the repository root.
 * stdout carries exactly one JSON document; everything else (logs, notices, errors) goes to stderr.
 */
import { parseArgs, Flags, UsageError } from './args';
import { COMMANDS, CommandError } from './commands';
import { STORAGE_COMMANDS } from './storage';
import { TEAM_COMMANDS } from './teams';

// Libraries that log with console.log must not corrupt the JSON on stdout.
const writeStdout = process.stdout.write.bind(process.stdout);
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
  (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;

function usage(): string[] {
  return [...Object.values(COMMANDS), ...Object.values(TEAM_COMMANDS), ...Object.values(STORAGE_COMMANDS)].map(
    (c) => `npm run -s admin -- ${c.usage}`,
  );
}

function oneLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\s+/g, ' ').trim();
}

function fail(message: string, code: number): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    fail(oneLine(e), 2);
  }
  if (parsed.command === '' || parsed.command === 'help' || parsed.flags.has('help')) {
    writeStdout(`${JSON.stringify({ usage: usage() }, null, 2)}\n`);
    return parsed.command === '' ? 2 : 0;
  }
  if (STORAGE_COMMANDS[parsed.command]) return runStorageCommand(parsed.command, parsed.flags);
  const command = COMMANDS[parsed.command] ?? TEAM_COMMANDS[parsed.command];
  if (!command) fail(`Unknown command "${parsed.command}". Run "npm run -s admin -- help" for the list.`, 2);

  let run;
  try {
    run = command.parse(new Flags(parsed.flags, parsed.command));
  } catch (e) {
    if (e instanceof UsageError) fail(`${e.message} Usage: npm run -s admin -- ${command.usage}`, 2);
    throw e;
  }

  // Imported only now so that bad arguments never touch (or create) the database.
  const { readDbEnv } = await import('../env');
  let env;
  try {
    env = readDbEnv();
  } catch (e) {
    fail(oneLine(e), 1);
  }
  const { createDb } = await import('../client');
  let handle;
  try {
    handle = await createDb({ url: env.databaseUrl, dataDir: env.dataDir });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND')
      fail(`Could not connect to the database at DATABASE_URL (${code}).`, 1);
    fail(oneLine(e), 1);
  }
  try {
    const outcome = await run(handle.db, env);
    writeStdout(`${JSON.stringify(outcome.json, null, 2)}\n`);
    return outcome.exitCode ?? 0;
  } catch (e) {
    const known =
      e instanceof CommandError ||
      (e instanceof Error && ['LedgerError', 'UserError', 'ApiKeyLimitError', 'TeamError'].includes(e.name));
    process.stderr.write(`error: ${known ? oneLine(e) : `Unexpected failure: ${oneLine(e)}`}\n`);
    return 1;
  } finally {
    await handle.close();
  }
}

/** A storage command: no database is opened; the storage configuration is read only if the command needs it. */
async function runStorageCommand(name: string, flags: Map<string, string | true>): Promise<number> {
  const command = STORAGE_COMMANDS[name]!;
  const fullUsage = `Usage: npm run -s admin -- ${command.usage}`;
  let run;
  try {
    run = command.parse(new Flags(flags, name));
  } catch (e) {
    if (e instanceof UsageError) fail(`${e.message} ${fullUsage}`, 2);
    throw e;
  }
  const { readStorageEnv } = await import('@bgr/storage/env');
  try {
    const outcome = await run(() => readStorageEnv());
    writeStdout(`${JSON.stringify(outcome.json, null, 2)}\n`);
    return outcome.exitCode ?? 0;
  } catch (e) {
    if (e instanceof UsageError) fail(`${e.message} ${fullUsage}`, 2);
    process.stderr.write(
      `error: ${e instanceof Error && e.name === 'StorageUrlError' ? oneLine(e) : `Storage copy failed: ${oneLine(e)}`}\n`,
    );
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => fail(`Unexpected failure: ${oneLine(e)}`, 1),
);
