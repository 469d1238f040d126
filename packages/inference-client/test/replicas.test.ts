// Routing across replicas, against stand-in replicas on loopback: each render goes to the
// least-busy ready replica; a replica whose /readyz fails, hangs or says 503 is out within 2 s
// without any render touching it, and back once /readyz answers 200 again.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InferenceClient } from '../src/client.ts';
import { type Replica, ReplicaPool } from '../src/replicas.ts';
import { type StandIn, standIns, until } from './support/stand-in.ts';

let replicas: StandIn[] = [];
let client: InferenceClient | null = null;

afterEach(async () => {
  client?.close();
  client = null;
  await Promise.all(replicas.map((r) => r.kill()));
  replicas = [];
});

const image = new Uint8Array([1, 2, 3]);
/** A different image each call: no affinity to the replica that served the last one. */
let serial = 0;
const fresh = () => new Uint8Array([4, 5, 6, ++serial % 256, Math.floor(serial / 256)]);
const execFileAsync = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const stateOf = (c: InferenceClient, url: string) => c.replicas().find((r) => r.url === url)?.state;

describe('least-busy routing', () => {
  it('spreads concurrent renders evenly over equal replicas', async () => {
    replicas = await standIns(3);
    for (const r of replicas) r.delayMs = 150;
    client = new InferenceClient({ urls: replicas.map((r) => r.url) });
    const out = await Promise.all(Array.from({ length: 30 }, () => client!.render(fresh(), { size: 'preview' })));
    expect(out).toHaveLength(30);
    expect(replicas.map((r) => r.answered)).toEqual([10, 10, 10]);
    expect(client.replicas().map((r) => r.inFlight)).toEqual([0, 0, 0]);
  });

  it('sends nothing to a replica still busy with a long render while others are idle', async () => {
    replicas = await standIns(3);
    const [slow, ...fast] = replicas as [StandIn, StandIn, StandIn];
    client = new InferenceClient({ urls: replicas.map((r) => r.url) });
    slow.delayMs = 60_000;
    // The first render of a fresh client goes to the first replica in turn: the slow one.
    const long = client.render(image, { size: 'full' }).catch(() => null);
    await until(() => slow.inFlight === 1, 2000);
    for (let i = 0; i < 10; i++) await client.render(fresh(), { size: 'preview' });
    expect(slow.started).toBe(1);
    expect(fast.map((r) => r.answered)).toEqual([5, 5]); // ties share in turn
    await slow.kill();
    await long;
  });
});

describe('image affinity', () => {
  it('keeps an image on the replica that rendered it (its mask is cached there) while that one is at most one busier', async () => {
    replicas = await standIns(2);
    const [a, b] = replicas as [StandIn, StandIn];
    client = new InferenceClient({ urls: [a.url, b.url] });
    for (let i = 0; i < 4; i++) await client.render(image, { size: i ? 'full' : 'preview' });
    expect([a.answered, b.answered]).toEqual([4, 0]); // without affinity: 2 and 2, in turn
  });

  it('leaves the preferred replica once it is more than one request busier than the least busy', () => {
    const pool = new ReplicaPool(['http://a', 'http://b']);
    const [a, b] = pool.replicas as [Replica, Replica];
    a.inFlight = 1;
    expect(pool.pick(new Set(), a)).toBe(a); // one busier: kept
    a.inFlight = 2;
    expect(pool.pick(new Set(), a)).toBe(b); // two busier: the least busy instead
    a.inFlight = 0;
    a.state = 'down';
    expect(pool.pick(new Set(), a)).toBe(b); // never a replica that is out
    a.state = 'ready';
    expect(pool.pick(new Set([a]), a)).toBe(b); // nor one this call already tried
  });
});

describe('readiness', () => {
  it('takes a dead replica out within 2 s without a render touching it, and back when /readyz answers', async () => {
    replicas = await standIns(2);
    const [a, b] = replicas as [StandIn, StandIn];
    client = new InferenceClient({ urls: [a.url, b.url] });
    await client.render(image, { size: 'preview' }); // starts the background probe
    await a.kill();
    const outMs = await until(() => stateOf(client!, a.url) === 'down', 2000);
    expect(outMs).toBeLessThan(2000);
    const before = b.answered;
    for (let i = 0; i < 4; i++) await client.render(fresh(), { size: 'preview' });
    expect(b.answered - before).toBe(4);

    await a.listen(); // same port: the replica is back
    const backMs = await until(() => stateOf(client!, a.url) === 'ready', 2000);
    expect(backMs).toBeLessThan(2000);
    for (let i = 0; i < 4; i++) await client.render(fresh(), { size: 'preview' });
    expect(a.answered).toBeGreaterThanOrEqual(2);
  });

  it('takes a draining replica (/readyz 503) and a hung one (/readyz never answers) out within 2 s', async () => {
    replicas = await standIns(3);
    const [a, b, c] = replicas as [StandIn, StandIn, StandIn];
    client = new InferenceClient({ urls: [a.url, b.url, c.url] });
    await client.render(image, { size: 'preview' });
    a.readiness = 'draining';
    b.readiness = 'hung';
    const ms = await until(() => stateOf(client!, a.url) === 'down' && stateOf(client!, b.url) === 'slow', 2000);
    expect(ms).toBeLessThan(2000);
    const [sa, sb] = [a.started, b.started];
    for (let i = 0; i < 5; i++) await client.render(fresh(), { size: 'preview' });
    expect([a.started - sa, b.started - sb]).toEqual([0, 0]);
    a.readiness = 'ready';
    await until(() => stateOf(client!, a.url) === 'ready', 2000);
  });

  it('still sends work to a replica whose /readyz answers late when no ready one is left', async () => {
    replicas = await standIns(2);
    const [a, b] = replicas as [StandIn, StandIn];
    client = new InferenceClient({ urls: [a.url, b.url] });
    await client.render(image, { size: 'preview' });
    a.readiness = 'hung'; // overloaded, not dead: renders still work
    await b.kill();
    await until(() => stateOf(client!, a.url) === 'slow' && stateOf(client!, b.url) === 'down', 2000);
    const out = await client.render(image, { size: 'preview' });
    expect(out.body.toString()).toBe('png-from-apng-from-a');
  });

  it('keeps no timer that holds the process open (the probe is unref’d)', async () => {
    replicas = await standIns(1);
    const script = [
      "import { InferenceClient } from './src/client.ts';",
      `const client = new InferenceClient({ urls: ['${replicas[0]!.url}'] });`,
      "await client.render(new Uint8Array([1]), { size: 'preview' });",
      "console.log('rendered');",
    ].join('\n');
    // Exits by itself (a kept timer would hold it until execFile's timeout kills it, failing the call).
    const run = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: packageDir,
      timeout: 20_000,
    });
    expect(run.stdout.trim()).toBe('rendered');
  }, 30_000);
});
