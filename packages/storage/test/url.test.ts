/** STORAGE_URL's two forms, their defaults, and one sentence for every URL that cannot be used. */
import { describe, expect, it } from 'vitest';
import { formatStorageUrl, parseStorageUrl, StorageUrlError } from '../src/url';

describe('parseStorageUrl', () => {
  it('reads a local folder', () => {
    expect(parseStorageUrl('file:///srv/bgr/files')).toEqual({ kind: 'file', root: '/srv/bgr/files' });
    expect(parseStorageUrl('file:///srv/with%20space/')).toEqual({ kind: 'file', root: '/srv/with space' });
  });

  it('reads an S3 bucket, its prefix and the server settings', () => {
    expect(
      parseStorageUrl('s3://bgr-files/prod/eu?endpoint=http://minio:9000&region=eu-west-1&forcePathStyle=false'),
    ).toEqual({
      kind: 's3',
      bucket: 'bgr-files',
      prefix: 'prod/eu',
      endpoint: 'http://minio:9000',
      region: 'eu-west-1',
      forcePathStyle: false,
    });
  });

  it('defaults: AWS (no endpoint) leaves the region to the SDK; another server gets us-east-1 and path style', () => {
    expect(parseStorageUrl('s3://bgr-files')).toEqual({
      kind: 's3',
      bucket: 'bgr-files',
      prefix: '',
      endpoint: undefined,
      region: undefined,
      forcePathStyle: false,
    });
    expect(parseStorageUrl('s3://bgr-files/?endpoint=https://rgw.example.com')).toMatchObject({
      prefix: '',
      region: 'us-east-1',
      forcePathStyle: true,
    });
  });

  it('round-trips through formatStorageUrl', () => {
    for (const raw of ['file:///srv/a b', 's3://bkt/p/q?endpoint=http://127.0.0.1:9000', 's3://bkt']) {
      const location = parseStorageUrl(raw);
      expect(parseStorageUrl(formatStorageUrl(location))).toEqual(location);
    }
  });

  it.each([
    ['not a url', 'is not a URL'],
    ['http://host/bucket', 'must start with file:// or s3://'],
    ['file://host/srv', 'names a host'],
    ['file:///srv?x=1', 'has query parameters'],
    ['s3://Upper', 'needs a bucket name'],
    ['s3://ab', 'needs a bucket name'],
    ['s3://key:secret@bucket', 'must not carry credentials'],
    ['s3://bucket/a/../b', 'has "." or ".."'],
    ['s3://bucket?endpoint=minio:9000', 'endpoint that is not an http'],
    ['s3://bucket?forcePathStyle=yes', 'forcePathStyle other than true or false'],
    ['s3://bucket?regoin=eu-west-1', 'unknown parameter "regoin"'],
  ])('%s: one sentence', (raw, part) => {
    let thrown: unknown;
    try {
      parseStorageUrl(raw, '--to');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StorageUrlError);
    expect((thrown as Error).message).toContain(part);
    expect((thrown as Error).message).toMatch(/^--to "[^\n]*\.$/);
  });
});
