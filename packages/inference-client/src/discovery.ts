// Replica discovery by DNS, the URL side: an INFERENCE_URLS entry written `dns+http://NAME:PORT`
// (or dns+https://) stands for every address NAME resolves to, one replica each at
// http://ADDRESS:PORT — on Kubernetes, a headless Service's name answers with one address per
// ready pod, so the client sees, probes and routes to each pod rather than one virtual IP.
// Pure functions only (no node: imports): the env schema checks entries with them, and the replica
// pool (replicas.ts) builds each address's URL with them.

/** The scheme prefix that marks an entry of INFERENCE_URLS for discovery. */
export const DISCOVERY_PREFIX = 'dns+';

/** A `dns+` entry taken apart: the name to resolve and how an address becomes a replica's URL. */
export interface DiscoveryTarget {
  /** The entry as configured (trailing slashes trimmed), e.g. dns+http://bgr-inference-pods:3001. */
  readonly url: string;
  /** The host name to resolve, e.g. bgr-inference-pods. */
  readonly name: string;
  /** The replica URL of one address: scheme://address:port/path, IPv6 in brackets. */
  replicaUrl(address: string): string;
}

/** True for an entry written with the `dns+` prefix (checked or not). */
export function isDiscoveryUrl(url: string): boolean {
  return url.toLowerCase().startsWith(DISCOVERY_PREFIX);
}

/** An IPv4 literal, or an IPv6 one as the URL parser writes it ([…]). */
const ADDRESS_HOST = /^(\d{1,3}(\.\d{1,3}){3}|\[.*\])$/;

/**
 * Takes a `dns+` entry apart; a sentence saying what is wrong with it (a string) when its scheme
 * is not dns+http/dns+https, it does not parse, or its host is an address rather than a name.
 */
export function parseDiscoveryUrl(url: string): DiscoveryTarget | string {
  const rest = url.slice(DISCOVERY_PREFIX.length).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/i.test(rest) || !URL.canParse(rest))
    return `INFERENCE_URLS: a dns+ URL must be dns+http:// or dns+https:// and a host name, e.g. dns+http://bgr-inference-pods:3001 (got "${url}").`;
  const parsed = new URL(rest);
  if (ADDRESS_HOST.test(parsed.hostname))
    return `INFERENCE_URLS: a dns+ URL needs a host name to look up, not an address (got "${url}").`;
  const port = parsed.port ? `:${parsed.port}` : '';
  const path = parsed.pathname.replace(/\/+$/, '');
  return {
    url: `${DISCOVERY_PREFIX}${rest}`,
    name: parsed.hostname,
    replicaUrl: (address) => `${parsed.protocol}//${address.includes(':') ? `[${address}]` : address}${port}${path}`,
  };
}
