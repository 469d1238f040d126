// The probe state as a status page reads it: watch() starts probing with no request at all, so a
// replica dying or coming back shows in snapshot() within about two seconds; the snapshot is a copy.
import { afterEach, describe, expect, it } from 'vitest';
import { InferenceClient } from '../src/client.ts';
import { type StandIn, standIns, until } from './support/stand-in.ts';

let replicas: StandIn[] = [];
let client: InferenceClient | null = null;

afterEach(async () => {
  client?.close();
  client = null;
  await Promise.all(replicas.map((r) => r.kill()));
  replicas = [];
});

const stateOf = (c: InferenceClient, url: string) => c.replicas().find((r) => r.url === url)?.state;

describe('watching the replicas without traffic', () => {
  it('probes only once watched, then follows a replica dying and coming back', async () => {
    replicas = await standIns(2);
    const [a, b] = replicas as [StandIn, StandIn];
    client = new InferenceClient({ urls: [a.url, b.url] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(client.replicas().every((r) => r.probedAt === null)).toBe(true); // nobody asked yet

    const before = Date.now();
    client.watch();
    client.watch(); // idempotent: one timer
    await until(() => client!.replicas().every((r) => (r.probedAt ?? 0) >= before), 3000);
    expect(client.replicas().map((r) => r.state)).toEqual(['ready', 'ready']);

    await a.kill();
    const downIn = await until(() => stateOf(client!, a.url) === 'down', 5000);
    expect(downIn).toBeLessThan(2500);
    expect(stateOf(client, b.url)).toBe('ready');

    await a.listen();
    const backIn = await until(() => stateOf(client!, a.url) === 'ready', 5000);
    expect(backIn).toBeLessThan(2500);
    expect(a.started + b.started).toBe(0); // not one render was sent
  });

  it('hands out copies: changing a snapshot changes nothing', async () => {
    replicas = await standIns(1);
    client = new InferenceClient({ urls: [replicas[0]!.url] });
    const [snap] = client.replicas();
    expect(Object.isFrozen(snap)).toBe(true);
    expect(() => {
      (snap as { state: string }).state = 'down';
    }).toThrow();
    expect(client.replicas()[0]!.state).toBe('ready');
  });
});
