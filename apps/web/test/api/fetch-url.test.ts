import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyAddress, fetchImageUrl, FetchUrlError } from '../../src/server/fetch-url';
import { type CountingServer, startCountingServer } from '../support/counting-server';

const servers: CountingServer[] = [];

/** A loopback HTTP server that counts every TCP connection it receives, closed after each test. */
async function startServer(handler: http.RequestListener, host = '127.0.0.1'): Promise<CountingServer> {
  const counting = await startCountingServer(handler, host);
  servers.push(counting);
  return counting;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function imageHandler(body: Buffer = PNG_BYTES): http.RequestListener {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length });
    res.end(body);
  };
}

async function failure(promise: Promise<unknown>): Promise<FetchUrlError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FetchUrlError);
    return err as FetchUrlError;
  }
  throw new Error('expected the fetch to fail');
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.5.5', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['240.1.2.3', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'IPv4-mapped IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped IPv6'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['64:ff9b::a00:1', 'IPv4-translated IPv6'],
  ])('refuses %s as %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])('accepts the public address %s', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });
});

describe('fetchImageUrl', () => {
  it('never connects to a loopback listener that is not allow-listed', async () => {
    const server = await startServer(imageHandler());
    for (const url of [
      `http://127.0.0.1:${server.port}/a.png`,
      `http://localhost:${server.port}/a.png`,
      `http://[::ffff:127.0.0.1]:${server.port}/a.png`,
      `http://2130706433:${server.port}/a.png`,
      `http://0x7f.1:${server.port}/a.png`,
    ]) {
      const err = await failure(fetchImageUrl(url, { allowHosts: '' }));
      expect(err.code).toBe('failed_image_download');
      expect(err.reason).toBe('refused');
      expect(err.detail).toMatch(/refused for safety: it (is|resolves to) an? (loopback|IPv4-mapped IPv6) address/);
    }
    expect(server.connections()).toBe(0);
  });

  it('names the host, never the internal address a host name resolved to', async () => {
    const err = await failure(fetchImageUrl('http://localhost:9/a.png', { allowHosts: '' }));
    expect(err.reason).toBe('refused');
    expect(err.detail).toBe('The host localhost was refused for safety: it resolves to a loopback address.');
    expect(err.detail).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it('fetches from an allow-listed address, host name or range', async () => {
    const server = await startServer(imageHandler());
    for (const allowHosts of ['127.0.0.1', '127.0.0.0/8', 'example.test, localhost']) {
      const host = allowHosts.includes('localhost') ? 'localhost' : '127.0.0.1';
      const got = await fetchImageUrl(`http://${host}:${server.port}/a.png`, { allowHosts });
      expect(got.bytes.equals(PNG_BYTES)).toBe(true);
      expect(got.contentType).toBe('image/png');
      expect(got.finalUrl).toBe(`http://${host}:${server.port}/a.png`);
    }
  });

  it('refuses a redirect to a private address without contacting it', async () => {
    const inner = await startServer(imageHandler());
    const outer = await startServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${inner.port}/secret.png` });
      res.end();
    });
    // Only the host name "localhost" is trusted, not the address behind the redirect.
    const err = await failure(fetchImageUrl(`http://localhost:${outer.port}/start`, { allowHosts: 'localhost' }));
    expect(err.reason).toBe('refused');
    expect(err.detail).toContain('127.0.0.1');
    expect(outer.connections()).toBe(1);
    expect(inner.connections()).toBe(0);
  });

  it('follows allowed redirects, relative ones included, and stops after maxRedirects', async () => {
    const server = await startServer((req, res) => {
      const n = Number(req.url?.slice(1));
      if (req.url === '/final.png') return imageHandler()(req, res);
      res.writeHead(301, { location: n > 0 ? `/${n - 1}` : '/final.png' });
      res.end();
    });
    const got = await fetchImageUrl(`http://127.0.0.1:${server.port}/2`, { allowHosts: '127.0.0.1' });
    expect(got.finalUrl).toBe(`http://127.0.0.1:${server.port}/final.png`);
    const err = await failure(
      fetchImageUrl(`http://127.0.0.1:${server.port}/9`, { allowHosts: '127.0.0.1', maxRedirects: 3 }),
    );
    expect(err.reason).toBe('too_many_redirects');
  });

  it('enforces the size limit with and without Content-Length', async () => {
    const big = Buffer.alloc(64 * 1024, 7);
    const declared = await startServer(imageHandler(big));
    const chunked = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      for (let i = 0; i < 16; i++) res.write(big.subarray(0, 4096));
      res.end();
    });
    for (const server of [declared, chunked]) {
      const err = await failure(
        fetchImageUrl(`http://127.0.0.1:${server.port}/big.png`, { allowHosts: '127.0.0.1', maxBytes: 10_000 }),
      );
      expect(err.code).toBe('failed_image_download');
      expect(err.reason).toBe('too_large');
      expect(err.detail).toMatch(/larger than/);
    }
    const ok = await fetchImageUrl(`http://127.0.0.1:${chunked.port}/big.png`, {
      allowHosts: '127.0.0.1',
      maxBytes: 65_536,
    });
    expect(ok.bytes.length).toBe(65_536);
  });

  it('gives up when the total time limit passes', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG_BYTES.subarray(0, 4)); // then never finishes
    });
    const err = await failure(
      fetchImageUrl(`http://127.0.0.1:${server.port}/slow.png`, { allowHosts: '127.0.0.1', timeoutMs: 300 }),
    );
    expect(err.reason).toBe('timeout');
    expect(err.detail).toMatch(/timed out/);
  });

  it('reports HTTP errors, unreachable hosts and malformed URLs', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(404);
      res.end('nope');
    });
    const notFound = await failure(fetchImageUrl(`http://127.0.0.1:${server.port}/x.png`, { allowHosts: '127.0.0.1' }));
    expect(notFound.reason).toBe('http_status');
    expect(notFound.detail).toContain('404');

    const unresolved = await failure(fetchImageUrl('http://no-such-host.invalid/x.png'));
    expect(unresolved.code).toBe('failed_image_download');
    expect(unresolved.reason).toBe('not_resolved');
    expect(unresolved.detail).toContain('no-such-host.invalid');

    for (const bad of ['not a url', 'ftp://example.com/x.png', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const err = await failure(fetchImageUrl(bad));
      expect(err.code).toBe('invalid_image_url');
    }
  });
});
