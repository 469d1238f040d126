/**
 * One HTTP GET pinned to an address already checked: a custom `lookup` makes the socket connect to
 * that very address whatever name it asks about (no DNS rebinding between check and connect), and
 * the body is read only for a 2xx answer, up to the byte limit.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tooLarge } from './errors';
import type { PinnedTarget } from './target';

export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HopResult {
  status: number;
  location: string | null;
  contentType: string | null;
  bytes: Buffer | null;
}

/** One HTTP GET to a checked address; reads the body only for non-redirect answers. */
export function requestOnce(target: PinnedTarget, maxBytes: number, signal: AbortSignal): Promise<HopResult> {
  return new Promise((resolve, reject) => {
    const { url, address, family } = target;
    const client = url.protocol === 'https:' ? https : http;
    // Pin the connection to the checked address whatever name the socket layer asks about.
    const lookup = (
      _hostname: string,
      options: { all?: boolean } | number | undefined,
      callback: (...args: unknown[]) => void,
    ) => {
      const all = typeof options === 'object' && options !== null && options.all;
      if (all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        agent: false,
        lookup: lookup as unknown as net.LookupFunction,
        servername: net.isIP(target.hostname) ? undefined : target.hostname,
        headers: { accept: 'image/*,*/*;q=0.8', 'user-agent': 'bgr-fetch/1.0' },
        signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const contentType = (res.headers['content-type'] as string | undefined) ?? null;
        if (REDIRECT_STATUSES.has(status)) {
          res.resume();
          resolve({ status, location: res.headers.location ?? null, contentType, bytes: null });
          return;
        }
        if (status < 200 || status >= 300) {
          res.resume();
          resolve({ status, location: null, contentType, bytes: null });
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          res.destroy();
          reject(tooLarge(maxBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > maxBytes) {
            res.destroy();
            req.destroy();
            reject(tooLarge(maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status, location: null, contentType, bytes: Buffer.concat(chunks, total) }));
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(new Error('connection closed before the body was complete'));
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
