/**
 * From a URL to the addresses we may connect to: the scheme rule, one DNS resolution, and every
 * answer checked against the address policy and the allow-list (a mix of public and internal
 * addresses is refused as a whole). The host name is named in refusals, never what it resolved to.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { ARTICLE, classifyAddress } from './address-policy';
import { type AllowList, addressAllowed, hostAllowed } from './allow-list';
import { FetchUrlError, type FetchUrlErrorCode } from './errors';

export interface Target {
  url: URL;
  hostname: string;
  /** Every resolved address, all checked; tried in order when a connection is refused. */
  addresses: Array<{ address: string; family: 4 | 6 }>;
}

export interface PinnedTarget {
  url: URL;
  hostname: string;
  address: string;
  family: 4 | 6;
}

/** The one scheme rule, for the URL given and for every redirect: only http and https are fetched. */
export function assertHttpScheme(url: URL, sentence: (scheme: string) => string, code: FetchUrlErrorCode): void {
  if (url.protocol === 'http:' || url.protocol === 'https:') return;
  throw new FetchUrlError(code, 'invalid_url', sentence(url.protocol.replace(/:$/, '')));
}

export function parseHttpUrl(input: string): URL {
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
  assertHttpScheme(url, (scheme) => `The image URL must use http or https, not ${scheme}.`, 'invalid_image_url');
  if (!url.hostname) {
    throw new FetchUrlError('invalid_image_url', 'invalid_url', 'The image URL has no host name.');
  }
  return url;
}

export async function resolveTarget(url: URL, allow: AllowList): Promise<Target> {
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
