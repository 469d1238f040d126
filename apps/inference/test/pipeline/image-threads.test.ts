// libvips' threads per image: a number is used as given, 0 is one per core (sharp's own default
// on glibc Linux is 1, which left a core idle through decode, resize and encode).
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { afterAll, expect, it } from 'vitest';
import { setImageThreads } from '../../src/pipeline/image-threads.ts';

const before = sharp.concurrency();
afterAll(() => {
  sharp.concurrency(before);
});

it('sets the threads libvips gives each image, one per core for 0', () => {
  expect(setImageThreads(3)).toBe(3);
  expect(sharp.concurrency()).toBe(3);
  expect(setImageThreads(0)).toBe(availableParallelism());
  expect(sharp.concurrency()).toBe(availableParallelism());
});
