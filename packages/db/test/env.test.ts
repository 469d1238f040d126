// The database's env piece: the defaults (embedded database, 15-minute holds) and one sentence
// naming the variable for every bad value, also from the admin CLI, which stops before opening
// any database.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbEnvSchema, readDbEnv } from '../src/env';
import { cli } from './support/cli';

describe('readDbEnv', () => {
  it('defaults to the embedded database and a 15-minute hold timeout (empty values count as unset)', () => {
    expect(readDbEnv({})).toEqual({
      databaseUrl: undefined,
      dataDir: undefined,
      holdTimeoutMs: 15 * 60_000,
      migrate: 'auto',
    });
    expect(readDbEnv({ DATABASE_URL: '', DATA_DIR: '', HOLD_TIMEOUT_MIN: '', DATABASE_MIGRATE: '' })).toEqual({
      databaseUrl: undefined,
      dataDir: undefined,
      holdTimeoutMs: 15 * 60_000,
      migrate: 'auto',
    });
  });

  it('reads every variable', () => {
    expect(
      readDbEnv({
        DATABASE_URL: 'postgresql://u@127.0.0.1:5432/bgr',
        DATA_DIR: 'var/data',
        HOLD_TIMEOUT_MIN: '2.5',
        DATABASE_MIGRATE: 'check',
      }),
    ).toEqual({
      databaseUrl: 'postgresql://u@127.0.0.1:5432/bgr',
      dataDir: path.resolve('var/data'),
      holdTimeoutMs: 150_000,
      migrate: 'check',
    });
    expect(readDbEnv({ DATABASE_URL: 'postgres://127.0.0.1/x' }).databaseUrl).toBe('postgres://127.0.0.1/x');
  });

  it.each([
    ['DATABASE_MIGRATE', 'never', 'DATABASE_MIGRATE must be auto or check (got "never").'],
    ['HOLD_TIMEOUT_MIN', '0', 'HOLD_TIMEOUT_MIN must be a positive number of minutes (got "0").'],
    ['HOLD_TIMEOUT_MIN', 'soon', 'HOLD_TIMEOUT_MIN must be a positive number of minutes (got "soon").'],
    [
      'DATABASE_URL',
      'mysql://127.0.0.1/x',
      'DATABASE_URL must be a PostgreSQL URL starting with postgres:// or postgresql:// (or unset for the embedded database).',
    ],
  ])('refuses %s=%s with one sentence naming it', (name, value, sentence) => {
    let message = '';
    try {
      readDbEnv({ [name]: value });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(sentence);
  });

  it('is a zod object an app can compose into its own env schema', () => {
    const appSchema = dbEnvSchema.extend({});
    expect(appSchema.parse({ HOLD_TIMEOUT_MIN: '1' }).HOLD_TIMEOUT_MIN).toBe(1);
    expect(appSchema.safeParse({ HOLD_TIMEOUT_MIN: '-1' }).success).toBe(false);
  });

  it('stops the admin CLI with the sentence before it opens a database', async () => {
    const { code, stdout, stderr } = await cli(
      { DATA_DIR: '/nonexistent/never-created', HOLD_TIMEOUT_MIN: 'x' },
      'process-due',
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe('error: HOLD_TIMEOUT_MIN must be a positive number of minutes (got "x").');
  }, 120_000);
});
