/** A database with one user, an API key and some credits, plus the API's real dependencies. */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDb, type TestDbKind } from '@bgr/db/test/support';
import { createApiKey } from '@bgr/db/queries/api-keys';
import { grant } from '@bgr/db/queries/ledger';
import { createUser } from '@bgr/db/queries/users';
import { InferenceClient } from '@bgr/inference-client';
import type { Db } from '@bgr/db/client';
import type { ApiDeps } from '../../../src/server/removebg';
import { makePhoto as makeFixturePhoto } from '../../support/fixtures';
import type { InferenceService } from '../../support/inference-service';

export interface World {
  db: Db;
  deps: ApiDeps;
  storageDir: string;
  /** A new user with an API key and `credits` promo credits. */
  newAccount(credits: number): Promise<{ userId: string; key: string; keyId: string }>;
  close(): Promise<void>;
}

let accounts = 0;

export async function createWorld(
  kind: TestDbKind,
  inference: InferenceService,
  overrides: Partial<ApiDeps> = {},
): Promise<World> {
  const handle = await createTestDb(kind);
  const storageDir = mkdtempSync(path.join(tmpdir(), 'bgr-api-storage-'));
  const deps: ApiDeps = {
    db: handle.db,
    inference: new InferenceClient({ urls: [inference.url], secret: inference.secret }),
    storage: {
      put: async (key, bytes) => {
        const file = path.join(storageDir, key);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, bytes);
      },
      delete: async (key) => {
        await rm(path.join(storageDir, key), { force: true });
      },
    },
    rateLimitMpu: 500,
    improvePerDay: 100,
    freeCalls: 0,
    ...overrides,
  };
  return {
    db: handle.db,
    deps,
    storageDir,
    async newAccount(credits) {
      const user = await createUser(handle.db, { email: `api-${process.pid}-${++accounts}-${Date.now()}@example.com` });
      if (credits > 0) await grant(handle.db, { userId: user.id, units: credits * 4, kind: 'promo' });
      const key = await createApiKey(handle.db, { userId: user.id, name: 'test' });
      return { userId: user.id, key: key.key, keyId: key.id };
    },
    async close() {
      await handle.close();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

/** A small synthetic photo: a figure on a gradient (never the eval images); the API tests' sizes and JPEG quality. */
export function makePhoto(width = 96, height = 72, format: 'jpeg' | 'png' | 'webp' = 'jpeg'): Promise<Buffer> {
  return makeFixturePhoto({ width, height, format, quality: 90 });
}
