/**
 * The status's inference count with INFERENCE_URLS discovered by DNS (dns+http://NAME:PORT, as on
 * Kubernetes): the first evaluation, before any render, waits for the name's first lookup and
 * counts one replica per address — localhost here, resolved by the system resolver, with one real
 * replica answering /readyz on 127.0.0.1 (an ::1 answer, where localhost has one, counts as not ready).
 */
import { lookup } from 'node:dns/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInference } from '~/server/inference';
import { evaluateStatus } from '~/server/status/current';

const storageDir = mkdtempSync(path.join(tmpdir(), 'bgr-status-dns-'));
let replica: http.Server;
let port = 0;

beforeAll(async () => {
  replica = http.createServer((req, res) => {
    if (req.url === '/readyz') return void res.end('{"ready":true}');
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => replica.listen(0, '127.0.0.1', () => r()));
  port = (replica.address() as AddressInfo).port;
  process.env.STORAGE_DIR = storageDir;
  process.env.INFERENCE_URLS = `dns+http://localhost:${port}`;
});
afterAll(async () => {
  getInference().close();
  await new Promise<void>((r) => replica.close(() => r()));
  rmSync(storageDir, { recursive: true, force: true });
});

describe('inference in the status with discovery by DNS', () => {
  it('counts every address of the name, probed, on the first evaluation', async () => {
    const addresses = new Set((await lookup('localhost', { all: true })).map((a) => a.address));
    expect(addresses).toContain('127.0.0.1');
    const noDatabase = async () => {
      throw new Error('no database in this test');
    };
    const status = await evaluateStatus(noDatabase as never);
    expect(status.public.components.inference).toEqual({ ready: 1, total: addresses.size });
    const urls = getInference()
      .replicas()
      .map((r) => r.url);
    expect(urls).toContain(`http://127.0.0.1:${port}`);
    expect(getInference().discovery()).toMatchObject([{ name: 'localhost', error: null }]);
  });
});
