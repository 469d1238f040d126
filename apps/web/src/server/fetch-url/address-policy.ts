/**
 * Which addresses are never fetched: special-purpose ranges (RFC 6890 and friends), IPv4 hidden in
 * IPv6, and IPv6 outside global unicast. The article table lets a refusal read as a sentence.
 */
import net from 'node:net';

export type AddressClass =
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

export const ARTICLE: Record<AddressClass, string> = {
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
