/**
 * The S3-compatible backend (STORAGE_URL=s3://bucket/prefix?endpoint=…), for several web replicas
 * sharing one store: AWS S3, MinIO, SeaweedFS, Ceph RGW (and s3rver in tests). Writes go through
 * lib-storage's Upload, which sends small bodies in one PUT and large ones (or streams of unknown
 * length) as a multipart upload, part by part; reads can stream. Credentials come from the SDK's
 * default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { assertSafeKey, type BlobStorage, type StorageBody } from './types';
import { formatStorageUrl, type S3Location } from './url';

/** Multipart part size: S3's minimum is 5 MiB; two parts in flight bound the memory a write uses. */
export const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

export interface S3StorageOptions {
  /** Explicit credentials (tests); by default the SDK's chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The client settings for a location. */
export function s3ClientConfig(location: S3Location, options: S3StorageOptions = {}): S3ClientConfig {
  return {
    ...(location.region ? { region: location.region } : {}),
    ...(location.endpoint ? { endpoint: location.endpoint } : {}),
    forcePathStyle: location.forcePathStyle,
    // AWS answers with a redirect when the region is wrong; follow it rather than fail.
    followRegionRedirects: true,
    // Servers other than AWS (s3rver, older MinIO and Ceph) do not all decode aws-chunked bodies
    // or send the newer checksums: checksum only where the operation requires one.
    ...(location.endpoint
      ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const }
      : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

export class S3Storage implements BlobStorage {
  readonly url: string;
  readonly client: S3Client;

  constructor(
    readonly location: S3Location,
    options: S3StorageOptions = {},
  ) {
    this.url = formatStorageUrl(location);
    this.client = new S3Client(s3ClientConfig(location, options));
  }

  private objectKey(key: string): string {
    assertSafeKey(key);
    return this.location.prefix ? `${this.location.prefix}/${key}` : key;
  }

  async put(key: string, body: StorageBody): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.location.bucket, Key: this.objectKey(key), Body: body },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async get(key: string): Promise<Buffer | null> {
    const body = await this.getBody(key);
    return body ? Buffer.from(await body.transformToByteArray()) : null;
  }

  async stream(key: string): Promise<Readable | null> {
    // In Node the SDK's body is an http.IncomingMessage: a Readable that streams from the socket.
    return ((await this.getBody(key)) as (Readable & object) | null) ?? null;
  }

  private async getBody(key: string) {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }),
      );
      return out.Body ?? null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }),
      );
      return { size: out.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async *list(prefix?: string): AsyncIterable<string> {
    const base = this.location.prefix ? `${this.location.prefix}/` : '';
    const listed = prefix === undefined ? base : `${this.objectKey(prefix)}/`;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: listed, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key?.startsWith(base)) yield object.Key.slice(base.length);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
  }

  async deleteFolder(prefix: string): Promise<void> {
    // One DELETE per object: an image's folder holds a handful, and DeleteObjects needs a
    // Content-MD5 that not every S3-compatible server checks the same way.
    const keys: string[] = [];
    for await (const key of this.list(prefix)) keys.push(key);
    for (const key of keys) await this.delete(key);
  }
}
