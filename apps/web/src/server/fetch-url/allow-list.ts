/**
 * FETCH_ALLOW_HOSTS: host names (`*.example.com` for a suffix), IP addresses and CIDR ranges,
 * comma-separated. A deployer lists internal image servers here so the address policy lets them through.
 */
import net from 'node:net';

export interface AllowList {
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

export function hostAllowed(list: AllowList, hostname: string): boolean {
  const host = hostname.toLowerCase();
  return list.hosts.has(host) || list.suffixes.some((suffix) => host.endsWith(suffix));
}

export function addressAllowed(list: AllowList, address: string): boolean {
  return list.addresses.check(address, net.isIP(address) === 4 ? 'ipv4' : 'ipv6');
}
