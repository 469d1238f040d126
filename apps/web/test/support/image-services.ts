/**
 * What the image tests run on, set up once here: the real inference service (real IS-Net) and a
 * temporary storage folder for a test file, and a fresh database with the image code's deps (db,
 * storage, inference) for a describe block or a file. The objects are returned at once and filled
 * in beforeAll, so a test file can name them at its top; afterAll stops and removes what was made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@bgr/db/client';
import { ledgerEntries } from '@bgr/db/schema';
import { type TestDb, type TestDbKind, withTestDb } from '@bgr/db/test/support';
import { InferenceClient } from '@bgr/inference-client';
import { LocalStorage } from '~/server/storage/index';
import { type InferenceService, startInferenceService } from './inference-service';

export type ImageServices = { service: InferenceService; storageDir: string };
export type ImageDeps = { db: Db; storage: LocalStorage; inference: InferenceClient };

/**
 * Starts the inference service and makes a storage folder (`bgr-<name>-…`) for this file. The
 * routers use the process-wide storage and inference client, configured from STORAGE_DIR,
 * INFERENCE_URLS and INFERENCE_SECRET, so these are set to them too.
 */
export function withImageServices(name: string): ImageServices {
  const services = {} as ImageServices;
  beforeAll(async () => {
    services.service = await startInferenceService();
    services.storageDir = mkdtempSync(path.join(tmpdir(), `bgr-${name}-`));
    process.env.STORAGE_DIR = services.storageDir;
    process.env.INFERENCE_URLS = services.service.url;
    process.env.INFERENCE_SECRET = services.service.secret;
  });
  afterAll(async () => {
    await services.service?.stop();
    if (services.storageDir) rmSync(services.storageDir, { recursive: true, force: true });
  });
  return services;
}

/** A fresh database of `kind` (`t`) and the deps on it and on `services`, which must be started first. */
export function withImageDb(kind: TestDbKind, services: ImageServices): { t: TestDb; deps: ImageDeps } {
  const t = withTestDb(kind);
  const deps = {} as ImageDeps;
  beforeAll(() => {
    Object.assign(deps, {
      db: t.db,
      storage: new LocalStorage(services.storageDir),
      inference: new InferenceClient({ urls: [services.service.url], secret: services.service.secret }),
    });
  });
  return { t, deps };
}

/** The units charged to `userId` in all: the sum of its ledger charge entries (each a negative delta). */
export async function chargedUnits(db: Db, userId: string): Promise<number> {
  return (
    await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.userId, userId), eq(ledgerEntries.type, 'charge')))
  ).reduce((s, e) => s - e.delta, 0);
}
