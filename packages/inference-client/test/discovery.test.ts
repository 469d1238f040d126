// Replica discovery by DNS (dns+http://NAME:PORT), against real stand-in replicas on 127.0.0.1,
// 127.0.0.2 and 127.0.0.3 sharing one port — what a headless Service's name with three pods looks
// like. The resolver is the one thing given: a lookup whose answer each test changes (and, once,
// the system's own resolving localhost). Waits are for a state with a generous deadline, never for
// a number of milliseconds: the machine running this may be busy.
import { afterEach, describe, expect, it } from 'vitest';
import { InferenceClient, InferenceError } from '../src/client.ts';
import { parseDiscoveryUrl } from '../src/discovery.ts';
import { ReplicaPool, systemLookup } from '../src/replicas.ts';
import { type StandIn, standIns, standInsOnOnePort, until } from './support/stand-in.ts';

const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
const DEADLINE_MS = 8000;

let replicas: StandIn[] = [];
let client: InferenceClient | null = null;
let pool: ReplicaPool | null = null;

afterEach(async () => {
  client?.close();
  client = null;
  pool?.stop();
  pool = null;
  await Promise.all(replicas.map((r) => r.kill()));
  replicas = [];
});

let serial = 0;
/** A different image each call: no affinity to the replica that served the last one. */
const fresh = () => new Uint8Array([7, 8, ++serial % 256, Math.floor(serial / 256)]);

/** A resolver whose answer the test sets: addresses, or an error to throw; it counts its calls. */
function fakeDns(initial: string[]) {
  const dns = {
    answer: initial as string[] | Error,
    names: [] as string[],
    lookup: async (name: string): Promise<string[]> => {
      dns.names.push(name);
      if (dns.answer instanceof Error) throw dns.answer;
      return [...dns.answer];
    },
  };
  return dns;
}

const urlsOf = (c: InferenceClient) => c.replicas().map((r) => r.url);
const stateOf = (c: InferenceClient, url: string) => c.replicas().find((r) => r.url === url)?.state;

async function threePods(answer: string[] = HOSTS) {
  replicas = await standInsOnOnePort(HOSTS);
  const dns = fakeDns(answer);
  const port = replicas[0]!.port;
  const warnings: string[] = [];
  client = new InferenceClient({
    urls: [`dns+http://bgr-inference-pods:${port}`],
    lookup: dns.lookup,
    discoveryIntervalMs: 200,
    warn: (m) => warnings.push(m),
  });
  return { dns, port, warnings, client, pods: replicas as [StandIn, StandIn, StandIn] };
}

describe('discovery by DNS', () => {
  it('makes one replica per address and spreads renders over them', async () => {
    const { dns, port, client } = await threePods(['127.0.0.3', '127.0.0.1', '127.0.0.2']);
    for (const r of replicas) r.delayMs = 150;
    const out = await Promise.all(Array.from({ length: 30 }, () => client.render(fresh(), { size: 'preview' })));
    expect(out).toHaveLength(30);
    expect(dns.names[0]).toBe('bgr-inference-pods');
    expect(urlsOf(client)).toEqual(HOSTS.map((h) => `http://${h}:${port}`));
    expect(replicas.map((r) => r.answered)).toEqual([10, 10, 10]);
    expect(client.replicas().map((r) => r.state)).toEqual(['ready', 'ready', 'ready']);
    expect(client.urls).toEqual([`dns+http://bgr-inference-pods:${port}`]);
  });

  it('lets an address gone from the answer finish its render, then sends it nothing more', async () => {
    const { dns, port, client, pods } = await threePods();
    const [, , c] = pods;
    c.delayMs = 3000;
    // Three at once go to three different replicas (least busy first): one of them to c, and stays.
    const first = Promise.all(Array.from({ length: 3 }, () => client.render(fresh(), { size: 'full' })));
    await until(() => c.inFlight === 1, DEADLINE_MS);
    dns.answer = ['127.0.0.1', '127.0.0.2'];
    await until(() => urlsOf(client).length === 2, DEADLINE_MS);
    expect(urlsOf(client)).toEqual([`http://127.0.0.1:${port}`, `http://127.0.0.2:${port}`]);
    expect(c.answered).toBe(0); // still rendering when it left the set
    for (let i = 0; i < 6; i++) await client.render(fresh(), { size: 'preview' });
    const bodies = (await first).map((r) => r.body.toString());
    expect(bodies).toContain('png-from-cpng-from-c'); // the render in flight on it succeeded
    expect([c.started, c.answered]).toEqual([1, 1]);
    for (let i = 0; i < 4; i++) await client.render(fresh(), { size: 'preview' });
    expect(c.started).toBe(1);
  });

  it('tells onLeave of an address gone from the answer once its last attempt is told, never of a URL as such', async () => {
    replicas = await standInsOnOnePort(HOSTS);
    const fixed = (await standIns(1))[0]!;
    replicas.push(fixed);
    const [a, , c] = replicas as [StandIn, StandIn, StandIn, StandIn];
    const dns = fakeDns(HOSTS);
    const events: string[] = [];
    client = new InferenceClient({
      urls: [fixed.url, `dns+http://bgr-inference-pods:${a.port}`],
      lookup: dns.lookup,
      discoveryIntervalMs: 200,
      retries: 0,
      onAttempt: (attempt) => events.push(`attempt ${attempt.replica} ${attempt.outcome}`),
      onLeave: (url) => events.push(`leave ${url}`),
    });
    c.delayMs = 3000;
    // Four at once go to four different replicas (least busy first): one of them to c, and stays.
    const first = Promise.all(Array.from({ length: 4 }, () => client!.render(fresh(), { size: 'full' })));
    await until(() => c.inFlight === 1, DEADLINE_MS);
    dns.answer = ['127.0.0.2'];
    await until(() => urlsOf(client!).length === 2, DEADLINE_MS);
    expect(urlsOf(client)).toEqual([fixed.url, `http://127.0.0.2:${a.port}`]);
    expect(events.filter((e) => e.startsWith('leave'))).toEqual([`leave ${a.url}`]); // c is still rendering
    await first;
    const cLeft = events.indexOf(`leave ${c.url}`);
    expect(events[cLeft - 1]).toBe(`attempt ${c.url} ok`); // its last attempt, then it left
    expect(events.slice(cLeft + 1).some((e) => e.includes(c.url))).toBe(false);

    // A URL written as such stays, down or not.
    await fixed.kill();
    for (let i = 0; i < 4; i++) await client.render(fresh(), { size: 'preview' });
    expect(events).toContain(`attempt ${fixed.url} unreachable`);
    const looked = dns.names.length;
    await until(() => dns.names.length >= looked + 3, DEADLINE_MS);
    expect(urlsOf(client)).toEqual([fixed.url, `http://127.0.0.2:${a.port}`]);
    expect(events.filter((e) => e.startsWith('leave'))).toEqual([`leave ${a.url}`, `leave ${c.url}`]);
  });

  it('adds a new address once its /readyz answers 200, not before', async () => {
    const { dns, port, client, pods } = await threePods(['127.0.0.1', '127.0.0.2']);
    const [a, b, c] = pods;
    c.readiness = 'draining'; // still loading its model
    await client.render(fresh(), { size: 'preview' });
    expect(urlsOf(client)).toHaveLength(2);
    dns.answer = HOSTS;
    const cUrl = `http://127.0.0.3:${port}`;
    await until(() => stateOf(client, cUrl) === 'down' && client.replicas()[2]?.probedAt != null, DEADLINE_MS);
    for (let i = 0; i < 4; i++) await client.render(fresh(), { size: 'preview' });
    expect(c.started).toBe(0);
    c.readiness = 'ready';
    await until(() => stateOf(client, cUrl) === 'ready', DEADLINE_MS);
    for (const r of pods) r.delayMs = 150;
    const [sa, sb] = [a.answered, b.answered];
    await Promise.all(Array.from({ length: 9 }, () => client.render(fresh(), { size: 'preview' })));
    expect([a.answered - sa, b.answered - sb, c.answered]).toEqual([3, 3, 3]);
  });

  it('keeps the last set through failed lookups, says so once, and follows the answer again', async () => {
    const { dns, port, client, warnings } = await threePods();
    await client.render(fresh(), { size: 'preview' });
    expect(urlsOf(client)).toHaveLength(3);
    dns.answer = Object.assign(new Error('queryA ESERVFAIL bgr-inference-pods'), { code: 'ESERVFAIL' });
    await until(() => client.discovery()[0]?.error != null, DEADLINE_MS);
    const failedAt = dns.names.length;
    await until(() => dns.names.length >= failedAt + 3, DEADLINE_MS); // three more failed lookups
    const [entry] = client.discovery();
    expect(entry).toMatchObject({ url: `dns+http://bgr-inference-pods:${port}`, name: 'bgr-inference-pods' });
    expect(entry!.error).toBe('The lookup of bgr-inference-pods failed (ESERVFAIL); keeping its 3 replica(s).');
    expect(entry!.replicas).toEqual(HOSTS.map((h) => `http://${h}:${port}`));
    expect(warnings).toEqual([`inference-client: ${entry!.error}`]); // once, not every 200 ms
    expect(urlsOf(client)).toHaveLength(3);
    for (let i = 0; i < 6; i++) await client.render(fresh(), { size: 'preview' });
    expect(replicas.map((r) => r.answered).every((n) => n >= 2)).toBe(true);

    dns.answer = ['127.0.0.2'];
    await until(() => client.discovery()[0]?.error === null && urlsOf(client).length === 1, DEADLINE_MS);
    expect(urlsOf(client)).toEqual([`http://127.0.0.2:${port}`]);
  });

  it('has no replica while the first lookup fails, and answers once the name resolves', async () => {
    const { dns, client } = await threePods();
    dns.answer = Object.assign(new Error('getaddrinfo ENOTFOUND bgr-inference-pods'), { code: 'ENOTFOUND' });
    expect(await client.ready()).toBe(false);
    expect(client.replicas()).toEqual([]);
    const refused = await client.render(fresh(), { size: 'preview' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InferenceError);
    expect((refused as InferenceError).code).toBe('service_unavailable');
    dns.answer = HOSTS;
    await until(() => urlsOf(client).length === 3, DEADLINE_MS);
    expect(await client.ready()).toBe(true);
    expect((await client.render(fresh(), { size: 'preview' })).width).toBe(4);
  });

  it('gives a joiner no work before its /readyz has answered 200', async () => {
    replicas = await standInsOnOnePort(HOSTS);
    const [, , c] = replicas as [StandIn, StandIn, StandIn];
    const dns = fakeDns(['127.0.0.1', '127.0.0.2']);
    pool = new ReplicaPool([`dns+http://pods:${c.port}`], { lookup: dns.lookup, probeTimeoutMs: 1500 });
    await pool.discover();
    c.readiness = 'hung'; // its first probe stays unanswered until the probe's timeout
    dns.answer = HOSTS;
    const round = pool.discover();
    await until(() => pool!.replicas.length === 3, DEADLINE_MS);
    const joiner = pool.replicas[2]!;
    expect([joiner.url, joiner.state, joiner.probedAt]).toEqual([c.url, 'down', null]);
    for (let i = 0; i < 6; i++) expect(pool.pick(new Set())).not.toBe(joiner);
    await round; // the probe timed out: slow, tried only when no ready one is left
    expect(joiner.state).toBe('slow');
    c.readiness = 'ready';
    await pool.probeAll();
    expect(joiner.state).toBe('ready');
    const picked = new Set(Array.from({ length: 3 }, () => pool!.pick(new Set())));
    expect(picked).toContain(joiner);
  });

  it('lets a replica that leaves and comes back while busy keep its count of requests in flight', async () => {
    replicas = await standInsOnOnePort(HOSTS);
    const dns = fakeDns(HOSTS);
    pool = new ReplicaPool([`dns+http://pods:${replicas[0]!.port}`], { lookup: dns.lookup });
    await pool.discover();
    const [, , c] = pool.replicas;
    expect(pool.replicas.map((r) => [r.state, r.listed])).toEqual([
      ['ready', true],
      ['ready', true],
      ['ready', true],
    ]);
    pool.acquire(c!);
    dns.answer = ['127.0.0.1', '127.0.0.2'];
    await pool.discover();
    expect(pool.replicas).toContain(c); // still finishing its request
    expect(c!.listed).toBe(false);
    expect(pool.snapshot().map((r) => r.url)).not.toContain(c!.url);
    for (let i = 0; i < 4; i++) expect(pool.pick(new Set(), c)).not.toBe(c); // not even for affinity
    dns.answer = HOSTS;
    await pool.discover();
    expect(pool.replicas.filter((r) => r.url === c!.url)).toEqual([c]); // the same one, back
    expect([c!.listed, c!.inFlight]).toEqual([true, 1]);
    dns.answer = ['127.0.0.1'];
    await pool.discover();
    expect(pool.replicas).toContain(c);
    pool.release(c!);
    expect(pool.replicas.map((r) => r.url)).toEqual([`http://127.0.0.1:${replicas[0]!.port}`]);
  });

  it('resolves through the system resolver by default (localhost)', async () => {
    replicas = await standIns(1);
    const [a] = replicas as [StandIn];
    expect(await systemLookup('localhost')).toContain('127.0.0.1');
    client = new InferenceClient({ urls: [`dns+http://localhost:${a.port}`] });
    expect(await client.ready()).toBe(true);
    const urls = urlsOf(client);
    expect(urls).toContain(a.url);
    // localhost may also answer ::1 (bracketed in its URL); nothing listens there, so it is down.
    for (const url of urls) expect([a.url, `http://[::1]:${a.port}`]).toContain(url);
    expect((await client.render(fresh(), { size: 'preview' })).body.toString()).toBe('png-from-apng-from-a');
    expect(client.discovery()).toEqual([
      {
        url: `dns+http://localhost:${a.port}`,
        name: 'localhost',
        replicas: urls,
        lookedUpAt: expect.any(Number),
        error: null,
      },
    ]);
  });
});

describe('dns+ URLs', () => {
  it('build one replica URL per address: IPv6 in brackets, the port and path kept', () => {
    const target = parseDiscoveryUrl('dns+https://pods.bgr.svc.cluster.local:3001/inference/');
    if (typeof target === 'string') throw new Error(target);
    expect(target.name).toBe('pods.bgr.svc.cluster.local');
    expect(target.replicaUrl('10.1.2.3')).toBe('https://10.1.2.3:3001/inference');
    expect(target.replicaUrl('fd00::1')).toBe('https://[fd00::1]:3001/inference');
    const bare = parseDiscoveryUrl('dns+http://pods');
    if (typeof bare === 'string') throw new Error(bare);
    expect(bare.replicaUrl('10.1.2.3')).toBe('http://10.1.2.3');
  });

  it('refuse an address where a name belongs, and schemes other than http and https', () => {
    expect(parseDiscoveryUrl('dns+http://10.0.0.1:3001')).toBe(
      'INFERENCE_URLS: a dns+ URL needs a host name to look up, not an address (got "dns+http://10.0.0.1:3001").',
    );
    expect(parseDiscoveryUrl('dns+http://[::1]:3001')).toMatch(/not an address/);
    expect(parseDiscoveryUrl('dns+ftp://pods')).toMatch(/must be dns\+http:\/\/ or dns\+https:\/\//);
    expect(() => new ReplicaPool(['dns+http://10.0.0.1:1'])).toThrow(/not an address/);
  });
});
