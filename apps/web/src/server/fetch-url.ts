/**
 * The one SSRF-safe image fetcher, shared by the web app (paste a URL) and the remove.bg API
 * (`image_url`, `bg_image_url`).
 *
 * Why it is built on node:http(s) and not `fetch`: the host name is resolved exactly once, every
 * resolved address is checked, and the socket is opened to that very address through a custom
 * `lookup` — so a DNS answer that changes between "check" and "connect" (DNS rebinding) cannot
 * steer us to an internal address. Redirects are followed by hand so each hop is checked again.
 */
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { MAX_UPLOAD_BYTES } from '@bgr/inference-client/options';
import { env } from '~/env';

export type FetchUrlErrorCode = 'invalid_image_url' | 'failed_image_download';

/** Why a download failed, for callers that want more than the remove.bg code. */
export type FetchUrlFailure =
  | 'invalid_url'
  | 'not_resolved'
  | 'refused'
  | 'http_status'
  | 'too_large'
  | 'timeout'
  | 'too_many_redirects'
  | 'network';

export class FetchUrlError extends Error {
  readonly code: FetchUrlErrorCode;
  readonly reason: FetchUrlFailure;
  /** A sentence for people: says what went wrong (which host, which rule). */
  readonly detail: string;
  constructor(code: FetchUrlErrorCode, reason: FetchUrlFailure, detail: string) {
    super(detail);
    this.name = 'FetchUrlError';
    this.code = code;
    this.reason = reason;
    this.detail = detail;
  }
}

export interface FetchImageUrlOptions {
  /** Largest body accepted (default 22 MiB, the upload limit). */
  maxBytes?: number;
  /** Total time for the whole download including redirects (default 20 s). */
  timeoutMs?: number;
  /** Redirect hops followed (default 5). */
  maxRedirects?: number;
  /** Allow-list in `FETCH_ALLOW_HOSTS` syntax; defaults to the environment variable. */
  allowHosts?: string;
}

export interface FetchedImage {
  bytes: Buffer;
  contentType: string | null;
  finalUrl: string;
}

const DEFAULT_MAX_BYTES = MAX_UPLOAD_BYTES;
const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

// ---------------------------------------------------------------------------------------------
// Address classification

type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared (carrier-grade NAT)'
  | 'link-local'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'IPv4-mapped IPv6'
  | 'IPv4-translated IPv6'
  | 'unique-local';

/** Special-purpose ranges (RFC 6890 and friends). Anything listed here is never fetched. */
const RANGES: Array<[AddressClass, string, number, 'ipv4' | 'ipv6']> = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['shared (carrier-grade NAT)', '100.64.0.0', 10, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['documentation', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '192.88.99.0', 24, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['documentation', '198.51.100.0', 24, 'ipv4'],
  ['documentation', '203.0.113.0', 24, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['IPv4-mapped IPv6', '::ffff:0:0', 96, 'ipv6'],
  ['IPv4-translated IPv6', '64:ff9b::', 96, 'ipv6'],
  ['IPv4-translated IPv6', '64:ff9b:1::', 48, 'ipv6'],
  ['reserved', '100::', 64, 'ipv6'],
  ['reserved', '2001::', 23, 'ipv6'],
  ['documentation', '2001:db8::', 32, 'ipv6'],
  ['reserved', '2002::', 16, 'ipv6'],
  ['unique-local', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['reserved', 'fec0::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
];

const ARTICLE: Record<AddressClass, string> = {
  unspecified: 'an unspecified',
  loopback: 'a loopback',
  private: 'a private',
  'shared (carrier-grade NAT)': 'a shared (carrier-grade NAT)',
  'link-local': 'a link-local',
  multicast: 'a multicast',
  reserved: 'a reserved',
  documentation: 'a documentation',
  'IPv4-mapped IPv6': 'an IPv4-mapped IPv6',
  'IPv4-translated IPv6': 'an IPv4-translated IPv6',
  'unique-local': 'a unique-local',
};

/**
 * Returns why an address may not be fetched, or null when it is a public unicast address.
 * IPv6 outside 2000::/3 (global unicast) is treated as reserved.
 */
export function classifyAddress(address: string): AddressClass | null {
  const family = net.isIP(address);
  if (family === 0) return 'reserved';
  if (family === 6) {
    const lower = address.toLowerCase();
    // Node's BlockList matches IPv4 subnets against ::ffff:a.b.c.d, so check mapped forms first.
    if (/^(0{0,4}:){0,5}:?ffff:/.test(lower) && address.includes('.')) return 'IPv4-mapped IPv6';
  }
  for (const [cls, base, prefix, type] of RANGES) {
    if (type !== (family === 4 ? 'ipv4' : 'ipv6')) continue;
    const list = new net.BlockList();
    list.addSubnet(base, prefix, type);
    if (list.check(address, type)) return cls;
  }
  if (family === 4 && address === '255.255.255.255') return 'reserved';
  if (family === 6) {
    const global = new net.BlockList();
    global.addSubnet('2000::', 3, 'ipv6');
    if (!global.check(address, 'ipv6')) return 'reserved';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Allow-list (FETCH_ALLOW_HOSTS): host names, IP addresses and CIDR ranges, comma-separated.

interface AllowList {
  hosts: Set<string>;
  suffixes: string[];
  addresses: net.BlockList;
}

export function parseAllowList(spec: string | undefined): AllowList {
  const list: AllowList = { hosts: new Set(), suffixes: [], addresses: new net.BlockList() };
  for (const raw of (spec ?? '').split(',')) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[|\]$/g, '');
    if (!entry) continue;
    const slash = entry.indexOf('/');
    const ip = slash >= 0 ? entry.slice(0, slash) : entry;
    const family = net.isIP(ip);
    if (family !== 0) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      const prefix = slash >= 0 ? Number(entry.slice(slash + 1)) : family === 4 ? 32 : 128;
      if (Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)) {
        list.addresses.addSubnet(ip, prefix, type);
      }
    } else if (entry.startsWith('*.')) {
      list.suffixes.push(entry.slice(1));
    } else {
      list.hosts.add(entry);
    }
  }
  return list;
}

function hostAllowed(list: AllowList, hostname: string): boolean {
  const host = hostname.toLowerCase();
  return list.hosts.has(host) || list.suffixes.some((suffix) => host.endsWith(suffix));
}

function addressAllowed(list: AllowList, address: string): boolean {
  return list.addresses.check(address, net.isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

// ---------------------------------------------------------------------------------------------
// The fetcher

interface Target {
  url: URL;
  hostname: string;
  /** Every resolved address, all checked; tried in order when a connection is refused. */
  addresses: Array<{ address: string; family: 4 | 6 }>;
}

interface PinnedTarget {
  url: URL;
  hostname: string;
  address: string;
  family: 4 | 6;
}

function parseHttpUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new FetchUrlError(
      'invalid_image_url',
      'invalid_url',
      'The image URL is not a well-formed http or https URL.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchUrlError(
      'invalid_image_url',
      'invalid_url',
      `The image URL must use http or https, not ${url.protocol.replace(/:$/, '')}.`,
    );
  }
  if (!url.hostname) {
    throw new FetchUrlError('invalid_image_url', 'invalid_url', 'The image URL has no host name.');
  }
  return url;
}

async function resolveTarget(url: URL, allow: AllowList): Promise<Target> {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const literal = net.isIP(hostname);
  let addresses: Array<{ address: string; family: number }>;
  if (literal !== 0) {
    addresses = [{ address: hostname, family: literal }];
  } else {
    try {
      addresses = await dns.lookup(hostname, { all: true, verbatim: true });
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      throw new FetchUrlError('failed_image_download', 'not_resolved', `The host ${hostname} does not resolve.`);
    }
  }
  const trustedHost = hostAllowed(allow, hostname);
  // Every answer must be acceptable: a mix of public and internal addresses is refused as a whole.
  for (const { address } of addresses) {
    if (trustedHost || addressAllowed(allow, address)) continue;
    const cls = classifyAddress(address);
    if (cls) {
      // A host name is named as given: the internal address it resolved to is no one's business.
      const why =
        literal !== 0
          ? `The address ${hostname} was refused for safety: it is`
          : `The host ${hostname} was refused for safety: it resolves to`;
      throw new FetchUrlError('failed_image_download', 'refused', `${why} ${ARTICLE[cls]} address.`);
    }
  }
  return {
    url,
    hostname,
    addresses: addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 })),
  };
}

interface HopResult {
  status: number;
  location: string | null;
  contentType: string | null;
  bytes: Buffer | null;
}

/** One HTTP GET to a checked address; reads the body only for non-redirect answers. */
function requestOnce(target: PinnedTarget, maxBytes: number, signal: AbortSignal): Promise<HopResult> {
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

function tooLarge(maxBytes: number): FetchUrlError {
  const mb = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return new FetchUrlError('failed_image_download', 'too_large', `The image at the URL is larger than ${mb} MB.`);
}

function networkDetail(err: unknown): string {
  const code = (err as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'The download failed: the server refused the connection.';
    case 'ECONNRESET':
      return 'The download failed: the server closed the connection.';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'The download failed: the server cannot be reached.';
    default:
      if (
        (typeof code === 'string' && code.startsWith('ERR_TLS')) ||
        /certificate/i.test(String((err as Error)?.message))
      ) {
        return 'The download failed: the server’s TLS certificate was not accepted.';
      }
      return 'The download failed before the image was complete.';
  }
}

/** DNS lookups cannot be cancelled; stop waiting for one when the deadline passes. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', abort);
        reject(err);
      },
    );
  });
}

/**
 * Downloads an image from a public http(s) URL. Throws FetchUrlError with
 * `invalid_image_url` (malformed URL) or `failed_image_download` (anything else; `detail` says what).
 */
export async function fetchImageUrl(input: string, opts: FetchImageUrlOptions = {}): Promise<FetchedImage> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const allow = parseAllowList(opts.allowHosts ?? env().fetchAllowHosts);

  let url = parseHttpUrl(input);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const timeoutError = () =>
    new FetchUrlError(
      'failed_image_download',
      'timeout',
      `The download timed out after ${Math.round(timeoutMs / 100) / 10} seconds.`,
    );

  try {
    for (let hop = 0; ; hop++) {
      const target = await untilAborted(resolveTarget(url, allow), controller.signal, timeoutError);
      let result: HopResult | undefined;
      let lastError: unknown;
      for (const { address, family } of target.addresses) {
        try {
          result = await requestOnce({ url, hostname: target.hostname, address, family }, maxBytes, controller.signal);
          break;
        } catch (err) {
          if (err instanceof FetchUrlError) throw err;
          if (timedOut) throw timeoutError();
          lastError = err;
          // Dual-stack names (localhost → ::1 and 127.0.0.1): try the next checked address.
          if (!CONNECT_ERRORS.has((err as { code?: string })?.code ?? '')) break;
        }
      }
      if (!result) throw new FetchUrlError('failed_image_download', 'network', networkDetail(lastError));
      if (REDIRECT_STATUSES.has(result.status)) {
        if (!result.location) {
          throw new FetchUrlError(
            'failed_image_download',
            'http_status',
            `The server answered HTTP ${result.status} without a Location to redirect to.`,
          );
        }
        if (hop >= maxRedirects) {
          throw new FetchUrlError(
            'failed_image_download',
            'too_many_redirects',
            `The download was redirected more than ${maxRedirects} times.`,
          );
        }
        let next: URL;
        try {
          next = new URL(result.location, url);
        } catch {
          throw new FetchUrlError('failed_image_download', 'invalid_url', 'The server redirected to a malformed URL.');
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new FetchUrlError(
            'failed_image_download',
            'invalid_url',
            `The server redirected to a ${next.protocol.replace(/:$/, '')} URL; only http and https are followed.`,
          );
        }
        url = next;
        continue;
      }
      if (result.status < 200 || result.status >= 300 || !result.bytes) {
        throw new FetchUrlError(
          'failed_image_download',
          'http_status',
          `The server answered HTTP ${result.status} instead of an image.`,
        );
      }
      return { bytes: result.bytes, contentType: result.contentType, finalUrl: url.toString() };
    }
  } finally {
    clearTimeout(timer);
  }
}
