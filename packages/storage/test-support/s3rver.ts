/**
 * A real S3-protocol server for tests: s3rver 3.7.1 in this process, on loopback at a random
 * port, over a fresh temp folder, with one bucket. The storage contract tests use it, and so can
 * any test that runs the web app with STORAGE_URL=s3://… (pass `env` to the spawned processes).
 */
/// <reference path="./s3rver-module.d.ts" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/** s3rver's built-in account; it checks request signatures against it. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3rverHandle {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  bucket: string;
  /** The temp folder s3rver keeps its objects in (removed by close()). */
  directory: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** s3://<bucket>[/<prefix>]?endpoint=…&region=us-east-1&forcePathStyle=true */
  storageUrl(prefix?: string): string;
  /** Variables for a process using this server: STORAGE_URL (with `prefix`) and the AWS credentials. */
  env(prefix?: string): Record<string, string>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

export async function startS3rver(opts: { bucket?: string } = {}): Promise<S3rverHandle> {
  const bucket = opts.bucket ?? 'bgr-test';
  const directory = mkdtempSync(path.join(tmpdir(), 'bgr-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const storageUrl = (prefix?: string) => {
    const params = new URLSearchParams({ endpoint, region: 'us-east-1', forcePathStyle: 'true' });
    return `s3://${bucket}${prefix ? `/${prefix}` : ''}?${params}`;
  };
  let closed = false;
  return {
    endpoint,
    port,
    bucket,
    directory,
    credentials: { ...S3RVER_CREDENTIALS },
    storageUrl,
    env: (prefix?: string) => ({
      STORAGE_URL: storageUrl(prefix),
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    }),
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
