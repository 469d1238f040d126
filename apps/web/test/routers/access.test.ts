/**
 * Every procedure in the app router — including ones added later by other areas — is walked:
 * protected ones must refuse anonymous callers and disabled accounts, admin ones must also
 * refuse ordinary users, and anything public must be on the short list below. Calling everything
 * as an admin runs the status checks too (the storage probe writes `status/probe`), so storage is a
 * temporary folder here, never the repository's `storage/`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTestDb, type TestDbKind } from '@bgr/db/test/support';
import { createUser, setDisabled } from '@bgr/db/queries/users';
import { appRouter } from '~/server/api/root';
import { guardMiddlewares } from '~/server/api/trpc';
import { callerFor, codeOf } from '../support/context';

/** Procedures meant for signed-out visitors. Adding one here is a deliberate decision. */
const PUBLIC_PROCEDURES = new Set(['account.me', 'account.signupMode', 'account.signUp']);

type Guard = 'public' | 'user' | 'admin';

const storageDir = mkdtempSync(path.join(tmpdir(), 'bgr-access-'));
const savedStorage = { url: process.env.STORAGE_URL, dir: process.env.STORAGE_DIR };
beforeAll(() => {
  delete process.env.STORAGE_URL;
  process.env.STORAGE_DIR = storageDir;
});
afterAll(() => {
  if (savedStorage.url === undefined) delete process.env.STORAGE_URL;
  else process.env.STORAGE_URL = savedStorage.url;
  if (savedStorage.dir === undefined) delete process.env.STORAGE_DIR;
  else process.env.STORAGE_DIR = savedStorage.dir;
  rmSync(storageDir, { recursive: true, force: true });
});

function guardOf(procedure: unknown): Guard {
  const mws = ((procedure as { _def?: { middlewares?: unknown[] } })._def?.middlewares ?? []) as unknown[];
  if (mws.includes(guardMiddlewares.requireAdmin)) return 'admin';
  if (mws.includes(guardMiddlewares.requireUser)) return 'user';
  return 'public';
}

const procedures = Object.entries(appRouter._def.procedures as Record<string, unknown>).map(([path, proc]) => ({
  path,
  guard: guardOf(proc),
}));

async function callByPath(caller: unknown, path: string): Promise<unknown> {
  let fn: unknown = caller;
  for (const part of path.split('.')) fn = (fn as Record<string, unknown>)[part];
  // No input: the guard runs before input validation, so the refusal is what we see.
  return (fn as (input?: unknown) => Promise<unknown>)(undefined);
}

it('the router has procedures of every kind, and only the listed ones are public', () => {
  expect(procedures.length).toBeGreaterThan(5);
  const publicOnes = procedures.filter((p) => p.guard === 'public').map((p) => p.path);
  for (const p of publicOnes) expect(PUBLIC_PROCEDURES.has(p), `${p} is public but not listed as such`).toBe(true);
  expect(procedures.some((p) => p.guard === 'user')).toBe(true);
  expect(procedures.some((p) => p.guard === 'admin')).toBe(true);
});

describe.each(['pglite', 'postgres'] as TestDbKind[])('access rules on %s', (kind) => {
  const t = withTestDb(kind);
  let user: { id: string; email: string; role: string };
  let admin: { id: string; email: string; role: string };
  let disabledAdmin: { id: string; email: string; role: string };

  beforeAll(async () => {
    user = await createUser(t.db, { email: 'user@example.com', password: 'correct horse battery', role: 'user' });
    admin = await createUser(t.db, { email: 'admin@example.com', password: 'correct horse battery', role: 'admin' });
    disabledAdmin = await createUser(t.db, {
      email: 'gone@example.com',
      password: 'correct horse battery',
      role: 'admin',
    });
    await setDisabled(t.db, disabledAdmin.id, true);
  });

  it('protected and admin procedures refuse anonymous callers', async () => {
    const anonymous = await callerFor(t.db, null);
    for (const p of procedures.filter((p) => p.guard !== 'public')) {
      expect(await codeOf(callByPath(anonymous, p.path)), p.path).toBe('UNAUTHORIZED');
    }
  });

  it('a disabled account is treated as signed out, even with a valid session', async () => {
    const disabled = await callerFor(t.db, disabledAdmin);
    for (const p of procedures.filter((p) => p.guard !== 'public')) {
      expect(await codeOf(callByPath(disabled, p.path)), p.path).toBe('UNAUTHORIZED');
    }
    expect(await disabled.account.me()).toBeNull();
  });

  it('admin procedures refuse ordinary users', async () => {
    const asUser = await callerFor(t.db, user);
    const adminOnes = procedures.filter((p) => p.guard === 'admin');
    for (const p of adminOnes) {
      expect(await codeOf(callByPath(asUser, p.path)), p.path).toBe('FORBIDDEN');
    }
  });

  it('the role comes from the database, not from the session', async () => {
    // A session claiming "admin" for an ordinary user gets nowhere.
    const forged = await callerFor(t.db, { ...user, role: 'admin' });
    expect((await forged.account.me())?.role).toBe('user');
    for (const p of procedures.filter((p) => p.guard === 'admin')) {
      expect(await codeOf(callByPath(forged, p.path)), p.path).toBe('FORBIDDEN');
    }
  });

  it('guards let the right people through (no refusal for a signed-in user or an admin)', async () => {
    const asUser = await callerFor(t.db, user);
    const asAdmin = await callerFor(t.db, admin);
    for (const p of procedures.filter((p) => p.guard === 'user')) {
      const code = await codeOf(callByPath(asUser, p.path));
      expect(['UNAUTHORIZED', 'FORBIDDEN'], p.path).not.toContain(code);
    }
    for (const p of procedures.filter((p) => p.guard === 'admin')) {
      const code = await codeOf(callByPath(asAdmin, p.path));
      expect(['UNAUTHORIZED', 'FORBIDDEN'], p.path).not.toContain(code);
    }
  });
});
