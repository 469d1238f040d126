import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/client';
import { withTestDb } from './support';
import { type CliResult, cli, ok } from './support/cli';

// Each command is a fresh process (tsx + database open): seconds each on a busy machine.
const CLI_TEST_TIMEOUT = 300_000;

describe('admin CLI against PostgreSQL (DATABASE_URL)', () => {
  const ctx = withTestDb('postgres');
  let env: Record<string, string>;
  beforeAll(() => {
    env = { DATABASE_URL: ctx.url! };
  });

  it(
    'walks the issue scenario: 170, 600, 120, subscription first, then only PAYG until it expires',
    async () => {
      const email = 'new@example.com';
      const run = (...args: string[]) => cli(env, ...args);
      const balanceAt = async (at: string) =>
        ok(await run('balance', '--email', email, '--at', at)) as Record<string, number>;

      expect(ok(await run('create-user', '--email', email, '--password', 'a good password'))).toMatchObject({ email });
      ok(await run('subscribe', '--email', email, '--monthly-credits', '100', '--at', '2027-01-01T00:00:00Z'));
      ok(await run('debit', '--email', email, '--credits', '30', '--at', '2027-01-10T00:00:00Z'));
      ok(await run('process-due', '--at', '2027-02-01T00:00:00Z'));
      expect((await balanceAt('2027-02-01T00:00:00Z')).total).toBe(170);
      ok(await run('process-due', '--at', '2027-07-01T00:00:00Z'));
      expect(await balanceAt('2027-07-01T00:00:00Z')).toMatchObject({ total: 600, rollover: 500, subscription: 100 });
      ok(await run('change-plan', '--email', email, '--monthly-credits', '20', '--at', '2027-08-10T00:00:00Z'));
      expect((await balanceAt('2027-08-10T00:00:00Z')).total).toBe(120);
      expect(
        ok(await run('grant', '--email', email, '--credits', '50', '--kind', 'payg', '--at', '2027-09-15T00:00:00Z')),
      ).toMatchObject({
        credits: 50,
        expiresAt: '2029-09-15T00:00:00.000Z',
      });
      ok(
        await run(
          'debit',
          '--email',
          email,
          '--credits',
          '0.25',
          '--note',
          'correction',
          '--at',
          '2027-09-15T00:00:00Z',
        ),
      );
      expect(await balanceAt('2027-09-15T00:00:00Z')).toMatchObject({ payg: 50, total: 169.75 });
      ok(await run('cancel', '--email', email, '--at', '2027-09-20T00:00:00Z'));
      ok(await run('process-due', '--at', '2027-10-10T00:00:00Z'));
      expect(await balanceAt('2027-10-10T00:00:00Z')).toEqual({
        total: 50,
        subscription: 0,
        rollover: 0,
        payg: 50,
        promo: 0,
        held: 0,
        nextExpiries: [{ credits: 50, kind: 'payg', expiresAt: '2029-09-15T00:00:00.000Z' }],
        team: null,
      });
      expect((await balanceAt('2029-09-14T23:59:59Z')).payg).toBe(50);
      expect((await balanceAt('2029-09-15T00:00:00Z')).total).toBe(0);

      const ledger = ok(await run('ledger', '--email', email)) as {
        type: string;
        credits: number;
        note: string | null;
      }[];
      // The cancelled subscription's leftovers expired when its period ended (2027-10-10).
      const expired = ledger.filter(
        (e) => e.type === 'expire' && (e as unknown as { at: string }).at === '2027-10-10T00:00:00.000Z',
      );
      expect(expired.reduce((s, e) => s + e.credits, 0)).toBe(-119.75);
      expect(ledger.find((e) => e.note === 'correction')).toMatchObject({ type: 'debit', credits: -0.25 });
      expect(ok(await run('reconcile'))).toMatchObject({ ok: true });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'refuses bad arguments in one line, writes nothing, and creates and revokes API keys',
    async () => {
      const email = 'keys@example.com';
      ok(await cli(env, 'create-user', '--email', email, '--password', 'another password', '--admin'));
      for (const args of [
        ['grant', '--email', email, '--credits', '1.1', '--kind', 'payg'],
        ['grant', '--email', email, '--credits', '1', '--kind', 'gift'],
        ['grant', '--email', email, '--credits', '1', '--kind', 'payg', '--expires', '2030-01-01'],
        ['balance', '--email', email, '--at', 'tomorrow'],
        ['subscribe', '--email', email],
        ['debit', '--email', email, '--credits', '1', '--bogus', 'x'],
        ['no-such-command'],
      ]) {
        const r = await cli(env, ...args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
      const short = await cli(env, 'debit', '--email', email, '--credits', '1');
      expect(short.code).toBe(1);
      expect(short.stderr).toMatch(/^error: Not enough credits: 0 available, 1 asked; nothing was taken\.\n$/);
      expect(ok(await cli(env, 'ledger', '--email', email))).toEqual([]);
      expect(ok(await cli(env, 'balance', '--email', email))).toMatchObject({ total: 0 });

      const created = ok(await cli(env, 'api-key', 'create', '--email', email, '--name', 'ci')) as {
        id: string;
        key: string;
      };
      expect(created.key).toMatch(/^bgr_/);
      expect(ok(await cli(env, 'api-key', 'revoke', '--id', created.id))).toMatchObject({
        id: created.id,
        revokedAt: expect.any(String),
      });
      expect((await cli(env, 'api-key', 'revoke', '--id', '00000000-0000-0000-0000-000000000000')).code).toBe(1);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('admin CLI against the embedded database (DATA_DIR)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'bgr-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'creates the database on first use, grants, reads, and keeps stdout to one JSON document',
    async () => {
      const env = { DATA_DIR: dataDir };
      const user = (await cli(
        env,
        'create-user',
        '--email',
        'p@example.com',
        '--password',
        'pglite password',
      )) as CliResult;
      expect(ok(user)).toMatchObject({ email: 'p@example.com' });
      ok(
        await cli(
          env,
          'grant',
          '--email',
          'p@example.com',
          '--credits',
          '2.5',
          '--kind',
          'promo',
          '--expires',
          '2030-01-01T00:00:00Z',
          '--at',
          '2029-01-01T00:00:00Z',
        ),
      );
      const b = await cli(env, 'balance', '--email', 'p@example.com', '--at', '2029-06-01T00:00:00Z');
      expect(ok(b)).toMatchObject({
        total: 2.5,
        promo: 2.5,
        nextExpiries: [{ credits: 2.5, kind: 'promo', expiresAt: '2030-01-01T00:00:00.000Z' }],
      });
      expect(b.stdout.trim().startsWith('{') && b.stdout.trim().endsWith('}')).toBe(true);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'says in one line when the running app holds the embedded database',
    async () => {
      const app = await createDb({ dataDir });
      try {
        const r = await cli({ DATA_DIR: dataDir }, 'balance', '--email', 'p@example.com');
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(
          `error: The embedded database in ${dataDir} is in use by another process (the running app?); stop it or set DATABASE_URL.\n`,
        );
      } finally {
        await app.close();
      }
    },
    CLI_TEST_TIMEOUT,
  );
});
