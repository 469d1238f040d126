// A person's strokes travel to the real HTTP service (spawned, real IS-Net) as the last part of the
// render body (x-edit-length), through the typed client and alongside a background image; bad or
// oversized edits are answered 400 invalid_options with a sentence, before any model run.
import { InferenceClient, InferenceError } from '@bgr/inference-client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectImage } from '../support/images.ts';
import { pixels } from '../support/pipeline.ts';
import { type RunningServer, startServer } from '../support/server.ts';

const SECRET = 'edit-secret';
let server: RunningServer;
let client: InferenceClient;
let image: Buffer; // 800×600, a disc of radius 168 px in the middle
const erase = {
  version: 1,
  strokes: [{ mode: 'erase', radius: 0.05, softness: 0.2, points: [0.45, 0.5, 0.55, 0.5] }],
};

beforeAll(async () => {
  server = await startServer({ INFERENCE_SECRET: SECRET, INFERENCE_THREADS: '2' });
  client = new InferenceClient({ urls: [server.url], secret: SECRET, retries: 0 });
  image = await subjectImage({ width: 800, height: 600, seed: 11, format: 'png' });
});
afterAll(() => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof InferenceError) return [err.status, err.code, err.detail];
    throw err;
  }
  return null;
}

describe('the edit in the render body', () => {
  it('is applied: alpha 0 under the stroke, the disc kept elsewhere', async () => {
    const plain = await pixels((await client.render(image, { size: 'full', format: 'png' })).body);
    const edited = await pixels((await client.render(image, { size: 'full', format: 'png' }, { edit: erase })).body);
    expect(plain.at(400, 300)[3]).toBe(255);
    expect(edited.at(400, 300)[3]).toBe(0);
    expect(edited.at(400, 400)).toEqual(plain.at(400, 400));
  });

  it('travels after a background image, which still applies', async () => {
    const bg = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#00ff00' } })
      .png()
      .toBuffer();
    const out = await pixels(
      (await client.render(image, { size: 'full', format: 'png' }, { bgImage: bg, edit: erase })).body,
    );
    expect(out.at(400, 300).slice(0, 3)).toEqual([0, 255, 0]); // erased: the background shows
    expect(out.at(20, 20).slice(0, 3)).toEqual([0, 255, 0]);
    expect(out.at(400, 400)[1]).toBeLessThan(200); // the disc
  });

  it('refuses a bad or oversized edit with 400 invalid_options and a sentence, running no model', async () => {
    const before = (await client.health()).modelRuns;
    expect(before).toBeGreaterThan(0);
    const fresh = await subjectImage({ width: 640, height: 480, seed: 12, format: 'png' });
    expect(
      await refusal(client.render(fresh, { size: 'full' }, { edit: { version: 1, strokes: [{ mode: 'smudge' }] } })),
    ).toEqual([400, 'invalid_options', 'Stroke 1 of the edit is not valid: the mode must be "erase" or "restore".']);
    const many = {
      version: 1,
      strokes: Array.from({ length: 2412 }, () => ({ mode: 'erase', radius: 0.01, softness: 0, points: [0.5, 0.5] })),
    };
    expect(await refusal(client.render(fresh, { size: 'full' }, { edit: many }))).toEqual([
      400,
      'invalid_options',
      'An edit may hold at most 2,000 strokes; this one has 2,412.',
    ]);
    const huge = new Uint8Array(300 * 1024).fill(32);
    const body = new Uint8Array(fresh.length + huge.length);
    body.set(fresh, 0);
    body.set(huge, fresh.length);
    const res = await fetch(`${server.url}/v1/render`, {
      method: 'POST',
      body: body as BodyInit,
      headers: { 'x-inference-secret': SECRET, 'x-edit-length': String(huge.length) },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({
      code: 'invalid_options',
      detail: 'An edit may be at most 256 KB; this one is 300 KB.',
    });
    const notJson = await fetch(`${server.url}/v1/render`, {
      method: 'POST',
      body: Buffer.concat([fresh, Buffer.from('{oops')]) as BodyInit,
      headers: { 'x-inference-secret': SECRET, 'x-edit-length': '5' },
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).errors[0].detail).toBe('The edit is not JSON.');
    expect((await client.health()).modelRuns).toBe(before);
  });
});
