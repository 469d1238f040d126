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
import sharp from 'sharp';
import type { ApiDeps } from '../../../src/server/removebg';
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

/** A small synthetic photo: a figure on a gradient (never the eval images). */
export function makePhoto(width = 96, height = 72, format: 'jpeg' | 'png' | 'webp' = 'jpeg'): Promise<Buffer> {
  const r = Math.round(Math.min(width, height) * 0.3);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#9ec5e8"/><stop offset="1" stop-color="#e9f1d2"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width / 2}" cy="${height / 2 - r * 0.9}" r="${r * 0.45}" fill="#c4553b"/>
    <rect x="${width / 2 - r * 0.6}" y="${height / 2 - r * 0.4}" width="${r * 1.2}" height="${r * 1.6}" rx="${r * 0.3}" fill="#2f4f8f"/>
  </svg>`;
  const img = sharp(Buffer.from(svg));
  return (format === 'png' ? img.png() : format === 'webp' ? img.webp() : img.jpeg({ quality: 90 })).toBuffer();
}
