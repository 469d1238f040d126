/**
 * An Idempotency-Key of an image_url call is bound to the bytes the paid call fetched, not only to
 * the address: a replay renders free, so an address that serves another image on the replay would
 * otherwise turn one paid call into free full-size renders of anything. Real handlers over HTTP,
 * the real inference service and ledger (both database kinds), and a loopback image host whose
 * answer can be swapped.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DB_KINDS } from '@bgr/db/test/support';
import { balance } from '@bgr/db/queries/ledger';
import { usageEvents } from '@bgr/db/schema';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInferenceService, type InferenceService } from '../support/inference-service';
import { startApiServer, type ApiServer } from './support/server';
import { createWorld, makePhoto, type World } from './support/world';

let inference: InferenceService;
let photo: Buffer;
let otherPhoto: Buffer;

/** Serves whatever `files` holds at the moment of each request. */
async function startSwappableHost(files: Map<string, Buffer>): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const bytes = files.get(req.url ?? '');
    if (!bytes) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length });
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

beforeAll(async () => {
  inference = await startInferenceService();
  photo = await makePhoto(96, 72, 'jpeg');
  otherPhoto = await makePhoto(160, 120, 'jpeg');
});

afterAll(async () => {
  await inference?.stop();
});

describe.each(DB_KINDS)('an Idempotency-Key with image_url on %s', (kind) => {
  let world: World;
  let server: ApiServer;
  let host: { port: number; close(): Promise<void> };
  const files = new Map<string, Buffer>();
  const previousAllow = process.env.FETCH_ALLOW_HOSTS;

  beforeAll(async () => {
    world = await createWorld(kind, inference);
    server = await startApiServer(world.deps);
    host = await startSwappableHost(files);
    process.env.FETCH_ALLOW_HOSTS = 'localhost';
  });

  afterAll(async () => {
    process.env.FETCH_ALLOW_HOSTS = previousAllow;
    await host?.close();
    await server?.close();
    await world?.close();
  });

  const call = (apiKey: string, idempotencyKey: string, params: Record<string, string>) =>
    fetch(`${server.baseUrl}/removebg`, {
      method: 'POST',
      headers: { 'X-Api-Key': apiKey, 'Idempotency-Key': idempotencyKey, 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
  const unitsLeft = async (userId: string) => (await balance(world.db, { userId })).totalUnits;
  const usageOf = async (userId: string) =>
    (await world.db.select().from(usageEvents).where(eq(usageEvents.userId, userId)).orderBy(usageEvents.id)).map(
      (u) => [u.ok, u.units, u.errorCode],
    );
  const errorOf = async (res: Response) => {
    const body = (await res.json()) as { errors: Array<{ code: string; detail?: string }> };
    return { status: res.status, code: body.errors[0]?.code, detail: body.errors[0]?.detail };
  };

  it('replays the same bytes free, and refuses (422, nothing charged) when the address serves another image', async () => {
    const who = await world.newAccount(1);
    files.set('/swap.jpg', photo);
    const params = { image_url: `http://localhost:${host.port}/swap.jpg`, size: 'full' };
    const paid = await call(who.key, 'swap', params);
    expect([paid.status, paid.headers.get('x-credits-charged')]).toEqual([200, '1']);
    const paidBytes = Buffer.from(await paid.arrayBuffer());
    expect(await unitsLeft(who.userId)).toBe(0);

    // The same bytes at the same address: the ordinary replay, free.
    const replay = await call(who.key, 'swap', params);
    expect([replay.status, replay.headers.get('x-credits-charged'), replay.headers.get('idempotent-replayed')]).toEqual(
      [200, '0', 'true'],
    );
    expect(Buffer.from(await replay.arrayBuffer()).equals(paidBytes)).toBe(true);

    // The attack: the address now serves another (larger) image under the paid key.
    files.set('/swap.jpg', otherPhoto);
    const attack = await call(who.key, 'swap', params);
    expect(attack.headers.get('x-credits-charged')).toBeNull();
    const error = await errorOf(attack);
    expect(error).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    expect(error.detail).toMatch(/^The image at image_url is not the one this Idempotency-Key was first used for/);
    expect(await unitsLeft(who.userId)).toBe(0);
    expect(await usageOf(who.userId)).toEqual([
      [true, 4, null],
      [true, 0, null],
      [false, 0, 'idempotency_key_reused'],
    ]);

    // Serving the paid image again makes the replay whole again.
    files.set('/swap.jpg', photo);
    expect((await call(who.key, 'swap', params)).status).toBe(200);
  });

  it('binds bg_image_url the same way', async () => {
    const who = await world.newAccount(1);
    files.set('/bg.jpg', photo);
    const params = {
      image_file_b64: photo.toString('base64'),
      bg_image_url: `http://localhost:${host.port}/bg.jpg`,
      size: 'full',
    };
    expect((await call(who.key, 'bg', params)).status).toBe(200);
    expect((await call(who.key, 'bg', params)).headers.get('idempotent-replayed')).toBe('true');
    files.set('/bg.jpg', otherPhoto);
    const error = await errorOf(await call(who.key, 'bg', params));
    expect(error).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    expect(error.detail).toMatch(/^The image at bg_image_url is not the one/);
    expect(await unitsLeft(who.userId)).toBe(0);
  });
});
