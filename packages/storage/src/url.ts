// STORAGE_URL, parsed in one place: `file:///abs/path` (a local folder) or
// `s3://bucket/optional/prefix?endpoint=…&region=…&forcePathStyle=…` (an S3-compatible store).
// Unknown query parameters are refused rather than ignored, and every problem is one sentence.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface FileLocation {
  kind: 'file';
  /** Absolute folder holding the objects. */
  root: string;
}

export interface S3Location {
  kind: 's3';
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing slashes; '' for the whole bucket. */
  prefix: string;
  /** An S3-compatible server (MinIO, SeaweedFS, Ceph RGW, s3rver); undefined for AWS S3. */
  endpoint: string | undefined;
  /** undefined: the SDK's chain (AWS_REGION); with an endpoint the default is us-east-1. */
  region: string | undefined;
  /** Path-style addressing (http://host/bucket/key); the default with an endpoint. */
  forcePathStyle: boolean;
}

export type StorageLocation = FileLocation | S3Location;

/** A STORAGE_URL (or `--from` / `--to`) that cannot be used; the message is one sentence. */
export class StorageUrlError extends Error {
  override name = 'StorageUrlError';
}

const S3_PARAMS = new Set(['endpoint', 'region', 'forcePathStyle']);
// S3 bucket naming rules: 3-63 characters, lowercase letters, digits, dots and hyphens.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses a storage URL; throws StorageUrlError (one sentence, starting with `name`: the variable
 * or option it came from) when it cannot be used.
 */
export function parseStorageUrl(raw: string, name = 'The storage URL'): StorageLocation {
  const fail = (why: string): never => {
    throw new StorageUrlError(`${name} "${raw}" ${why}`);
  };
  const text = raw.trim();
  if (!URL.canParse(text)) fail('is not a URL; use file:///absolute/folder or s3://bucket/prefix.');
  const url = new URL(text);
  if (url.protocol === 'file:') {
    if (url.host !== '') fail('names a host; a local folder is written file:///absolute/folder.');
    if (url.search) fail('has query parameters, which a local folder does not take.');
    const root = fileURLToPath(url);
    return { kind: 'file', root: path.resolve(root) };
  }
  if (url.protocol === 's3:') {
    // Checked on the text: URL parsing would quietly resolve "a/../b" to "b".
    if (/\/\.{1,2}(?=[/?#]|$)/.test(text.slice('s3://'.length).split(/[?#]/)[0] ?? ''))
      fail('has "." or ".." in its prefix.');
    return parseS3(url, fail);
  }
  return fail('must start with file:// or s3://.');
}

function parseS3(url: URL, fail: (why: string) => never): S3Location {
  const bucket = url.hostname;
  if (!BUCKET.test(bucket))
    fail('needs a bucket name of 3 to 63 lowercase letters, digits, dots or hyphens after s3://.');
  if (url.username || url.password || url.port)
    fail('must not carry credentials or a port; use AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and ?endpoint=.');
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  for (const name of url.searchParams.keys()) {
    if (!S3_PARAMS.has(name)) fail(`has an unknown parameter "${name}" (known: endpoint, region, forcePathStyle).`);
  }
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined && (!/^https?:\/\//i.test(endpoint) || !URL.canParse(endpoint)))
    fail('has an endpoint that is not an http:// or https:// URL.');
  const region = url.searchParams.get('region') || undefined;
  const style = url.searchParams.get('forcePathStyle');
  if (style !== null && style !== 'true' && style !== 'false') fail('has forcePathStyle other than true or false.');
  return {
    kind: 's3',
    bucket,
    prefix,
    endpoint,
    region: region ?? (endpoint ? 'us-east-1' : undefined),
    forcePathStyle: style === null ? endpoint !== undefined : style === 'true',
  };
}

/** The URL of a location (for logs and messages); parseStorageUrl(formatStorageUrl(x)) equals x. */
export function formatStorageUrl(location: StorageLocation): string {
  if (location.kind === 'file') return pathToFileURL(location.root).href;
  const params = new URLSearchParams();
  if (location.endpoint) params.set('endpoint', location.endpoint);
  if (location.region) params.set('region', location.region);
  params.set('forcePathStyle', String(location.forcePathStyle));
  const prefix = location.prefix ? `/${location.prefix.split('/').map(encodeURIComponent).join('/')}` : '';
  return `s3://${location.bucket}${prefix}?${params}`;
}
