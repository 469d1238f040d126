import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies } from '../src/server/client-address';
import { installPeerAddress } from '../src/server/peer-address';

const req = (xff?: string) => new Request('http://x/', { headers: xff ? { 'x-forwarded-for': xff } : {} });

describe('clientAddress', () => {
  const none = parseTrustedProxies('');
  const proxies = parseTrustedProxies('10.0.0.0/8, 192.168.1.1, fd00::/8');

  it('without trusted proxies, is the socket peer (rightmost) whatever the client claims', () => {
    expect(clientAddress(req('1.2.3.4'), none)).toBe('1.2.3.4');
    expect(clientAddress(req('6.6.6.6, 203.0.113.9'), none)).toBe('203.0.113.9');
    expect(clientAddress(req('6.6.6.6, 10.0.0.5'), none)).toBe('10.0.0.5');
  });

  it('walks left through trusted proxies only', () => {
    expect(clientAddress(req('6.6.6.6, 203.0.113.9, 10.1.2.3'), proxies)).toBe('203.0.113.9');
    expect(clientAddress(req('203.0.113.9, 192.168.1.1, 10.1.2.3'), proxies)).toBe('203.0.113.9');
    // The peer is not a trusted proxy: what it says is not believed.
    expect(clientAddress(req('6.6.6.6, 203.0.113.9'), proxies)).toBe('203.0.113.9');
    expect(clientAddress(req('2001:db8::1, fd12::1'), proxies)).toBe('2001:db8::1');
  });

  it('normalises mapped IPv4 and stops at garbage', () => {
    expect(clientAddress(req('::ffff:203.0.113.9'), none)).toBe('203.0.113.9');
    expect(clientAddress(req('::ffff:10.0.0.1'), proxies)).toBe('10.0.0.1');
    expect(clientAddress(req('evil, 10.0.0.1'), proxies)).toBe('10.0.0.1');
    expect(clientAddress(req(), none)).toBe('unknown');
  });

  it('refuses a malformed TRUSTED_PROXIES entry with a sentence', () => {
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/TRUSTED_PROXIES .*"10\.0\.0\.0\/33"\./);
    expect(() => parseTrustedProxies('proxy.local')).toThrow(/not an address or CIDR/);
  });
});

describe('installPeerAddress', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    installPeerAddress();
    server = http.createServer((r, res) =>
      res.end(
        clientAddress(
          new Request('http://x/', { headers: { 'x-forwarded-for': String(r.headers['x-forwarded-for']) } }),
          parseTrustedProxies(''),
        ),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a client-supplied X-Forwarded-For cannot pose as the peer', async () => {
    expect(await (await fetch(url, { headers: { 'x-forwarded-for': '6.6.6.6' } })).text()).toBe('127.0.0.1');
    expect(await (await fetch(url)).text()).toBe('127.0.0.1');
  });
});
