/**
 * The address of the client behind a request, for per-address limits (sign-in throttling, sign-up).
 *
 * Why a module of its own: `X-Forwarded-For` is written by whoever sends the request, so it may be
 * believed only as far as it was written by proxies we trust. The web server appends the TCP peer's
 * address to `X-Forwarded-For` as it accepts each request (see peer-address.ts), so the rightmost
 * entry is always the socket peer. Walking from the right, every entry inside `TRUSTED_PROXIES`
 * (comma-separated addresses or CIDRs, default none) is a proxy we trust to have appended the one
 * on its left; the first entry that is not trusted is the client. With no trusted proxies the
 * client is the socket peer, whatever the request claims.
 */
import net from 'node:net';

/** Used when no address can be read (a request built without the server's peer entry). */
export const UNKNOWN_ADDRESS = 'unknown';

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address; brackets and zone ids are dropped. */
export function normalizeAddress(raw: string): string | null {
  let a = raw.trim();
  if (a.startsWith('[')) a = a.slice(1, a.indexOf(']') > 0 ? a.indexOf(']') : undefined);
  // "1.2.3.4:5678" (some proxies add the port to IPv4 entries).
  if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  const zone = a.indexOf('%');
  if (zone > 0) a = a.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1]!;
  return net.isIP(a) ? a.toLowerCase() : null;
}

/** Parses TRUSTED_PROXIES; a malformed entry is a configuration error, said in one sentence. */
export function parseTrustedProxies(source: string | undefined): net.BlockList {
  const list = new net.BlockList();
  for (const entry of (source ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr, prefix, extra] = entry.split('/');
    const ip = addr === undefined ? null : normalizeAddress(addr);
    const family = ip ? net.isIP(ip) : 0;
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
    if (!ip || extra !== undefined || !Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
      throw new Error(`TRUSTED_PROXIES has an entry that is not an address or CIDR range: "${entry}".`);
    }
    list.addSubnet(ip, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

function isTrusted(list: net.BlockList, ip: string): boolean {
  return list.check(ip, net.isIP(ip) === 4 ? 'ipv4' : 'ipv6');
}

/** The client's address per the rules above, or UNKNOWN_ADDRESS (`trustedProxies`: env().trustedProxies). */
export function clientAddress(request: Request, trustedProxies: net.BlockList): string {
  const chain = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let client: string = UNKNOWN_ADDRESS;
  for (let i = chain.length - 1; i >= 0; i--) {
    const ip = normalizeAddress(chain[i]!);
    // An entry that is not an address cannot have been written by a trusted proxy: stop at the
    // last good one (the peer that handed it to us).
    if (!ip) break;
    client = ip;
    if (!isTrusted(trustedProxies, ip)) break;
  }
  return client;
}
