/**
 * Web HD through the one charging path, on PostgreSQL with the real inference service: a failed
 * attempt does not make the same picture cost twice, stored variants are capped, every render is
 * a usage event and counts against the per-user HD render limit; uploads have their own limit.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createUser } from '@bgr/db/queries/users';
import { balance, grant } from '@bgr/db/queries/ledger';
import { getImage, listImageVariants, MAX_IMAGE_VARIANTS } from '@bgr/db/queries/images';
import { recordLimitHit } from '@bgr/db/queries/limits';
import { usageEvents } from '@bgr/db/schema';
import { ingestImage } from '~/server/images/ingest';
import { handleUpload } from '~/server/images/upload';
import { storageKeys } from '~/server/storage/index';
import { webQuotaBucket } from '~/server/web-quota';
import { callerFor, trpcError } from '../support/context';
import { makePhoto } from '../support/fixtures';
import { chargedUnits, withImageDb, withImageServices } from '../support/image-services';

const services = withImageServices('hd-charge');
let photo: Buffer;

beforeAll(async () => {
  photo = await makePhoto({ width: 160, height: 120 });
});

describe('web HD and upload limits on postgres', () => {
  const { t, deps } = withImageDb('postgres', services);
  let seq = 0;
  const newUser = async (units: number) => {
    const user = await createUser(t.db, {
      email: `hd${++seq}-${Date.now()}@example.com`,
      password: 'correct horse battery',
    });
    if (units > 0) await grant(t.db, { userId: user.id, units, kind: 'payg' });
    return user;
  };
  const charged = (userId: string) => chargedUnits(t.db, userId);

  it('a failed HD attempt does not make the same picture, uploaded again, cost another credit', async () => {
    const user = await newUser(8);
    const caller = await callerFor(t.db, user);
    const lost = await ingestImage(deps, { userId: user.id, bytes: photo, originalName: 'lost.jpg' });
    await deps.storage.delete((await getImage(t.db, lost.id))!.storageKey);
    expect((await trpcError(caller.images.hd({ id: lost.id, format: 'png' }))).message).toMatch(
      /original of this image has been deleted/,
    );
    expect(await charged(user.id)).toBe(0);

    const second = await ingestImage(deps, { userId: user.id, bytes: photo, originalName: 'again.jpg' });
    expect(await caller.images.hd({ id: second.id, format: 'png' })).toMatchObject({
      charged: true,
      chargedCredits: 1,
    });
    // The third upload of the same picture: already paid.
    const third = await ingestImage(deps, { userId: user.id, bytes: photo, originalName: 'third.jpg' });
    expect(await caller.images.hdQuote({ id: third.id })).toMatchObject({ paid: true, costCredits: 0 });
    expect(await caller.images.hd({ id: third.id, format: 'webp' })).toMatchObject({
      charged: false,
      chargedCredits: 0,
    });
    expect(await charged(user.id)).toBe(4);
    expect((await balance(t.db, { userId: user.id })).totalUnits).toBe(4);
  });

  it(`keeps at most ${MAX_IMAGE_VARIANTS} stored renders per image; each render is a usage event`, async () => {
    const user = await newUser(4);
    const caller = await callerFor(t.db, user);
    const image = await ingestImage(deps, {
      userId: user.id,
      bytes: await makePhoto({ width: 150, height: 100 }),
      originalName: 'colours.jpg',
    });
    const folder = path.join(services.storageDir, storageKeys.folderOf((await getImage(t.db, image.id))!.storageKey));
    const colours = [
      'ff0000',
      '00ff00',
      '0000ff',
      'ffff00',
      '00ffff',
      'ff00ff',
      '000000',
      'ffffff',
      '808080',
      '123456',
    ];
    for (const bgColor of colours) await caller.images.hd({ id: image.id, format: 'png', bgColor });
    const results = readdirSync(folder).filter((f) => f.startsWith('result-'));
    expect(results).toHaveLength(MAX_IMAGE_VARIANTS);
    // The two oldest colours were evicted, the newest kept.
    expect(results).not.toContain('result-ff0000.png');
    expect(results).not.toContain('result-00ff00.png');
    expect(results).toContain('result-123456.png');
    expect(await listImageVariants(t.db, image.id)).toHaveLength(MAX_IMAGE_VARIANTS);
    // Charged once; ten renders, ten usage events (the first 1 credit, the others free).
    expect(await charged(user.id)).toBe(4);
    const usage = await t.db
      .select()
      .from(usageEvents)
      .where(and(eq(usageEvents.userId, user.id), eq(usageEvents.kind, 'hd')));
    expect(usage.map((u) => u.units).sort((a, b) => b - a)).toEqual([4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // An evicted colour renders again, free (and evicts the next oldest).
    expect(await caller.images.hd({ id: image.id, format: 'png', bgColor: 'ff0000' })).toMatchObject({
      charged: false,
    });
    expect(readdirSync(folder).filter((f) => f.startsWith('result-'))).toHaveLength(MAX_IMAGE_VARIANTS);
  });

  it('HD renders are limited per user a minute: 429 with a sentence, nothing charged', async () => {
    const user = await newUser(4);
    const caller = await callerFor(t.db, user);
    const image = await ingestImage(deps, {
      userId: user.id,
      bytes: await makePhoto({ width: 140, height: 100 }),
      originalName: 'busy.jpg',
    });
    // 60 renders already this minute (as if from other tabs or replicas).
    await recordLimitHit(t.db, { bucket: webQuotaBucket('hd', user.id), limit: 60, windowMs: 60_000, cost: 60 });
    const refused = await trpcError(caller.images.hd({ id: image.id, format: 'png' }));
    expect(refused.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.message).toMatch(
      /^You have reached the limit of 60 HD renders a minute\. Please try again in \d+ seconds?\.$/,
    );
    expect(await charged(user.id)).toBe(0);
    expect((await balance(t.db, { userId: user.id })).heldUnits).toBe(0);
  });

  it('uploads are limited to 60 a minute per user: 429 with Retry-After before the body is read', async () => {
    const user = await newUser(0);
    const upload = () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'p.jpg');
      return handleUpload(new Request('http://localhost/api/images', { method: 'POST', body: form }), {
        ...deps,
        currentUser: async () => ({ id: user.id }),
      });
    };
    expect((await upload()).status).toBe(201);
    await recordLimitHit(t.db, { bucket: webQuotaBucket('upload', user.id), limit: 60, windowMs: 60_000, cost: 59 });
    const refused = await upload();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limit_exceeded');
    expect(body.error.message).toMatch(
      /^You have reached the limit of 60 uploads a minute\. Please try again in \d+ seconds?\.$/,
    );
  });
});
