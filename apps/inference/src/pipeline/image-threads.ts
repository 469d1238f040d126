// How many threads libvips (through sharp) gives each image operation: decoding, resizing and
// encoding. sharp's own default is 1 on glibc Linux without jemalloc — every Debian/Ubuntu Node,
// our Docker images included — to limit memory fragmentation across many small images. The
// service works on a few large ones at a time, where that default left a core idle through every
// decode, resize and encode: on a 2-core machine the full render of a 6 MP photo took 1.38× the
// raw model time with 1 thread and 1.22× with 2, at the same peak RSS (npm run bench; the soak
// row watches the growth). 0 means one per core.
import { availableParallelism } from 'node:os';
import sharp from 'sharp';

/** Sets libvips' threads per image (0: one per core) and returns the number in use. */
export function setImageThreads(threads: number): number {
  sharp.concurrency(threads > 0 ? threads : availableParallelism());
  return sharp.concurrency();
}
