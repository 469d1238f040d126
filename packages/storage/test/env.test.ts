/** The storage piece of the configuration: STORAGE_URL, the older STORAGE_DIR, and today's default folder. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStorageEnv } from '../src/env';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe('readStorageEnv', () => {
  it('defaults to <repo>/storage, as before STORAGE_URL existed', () => {
    expect(readStorageEnv({}).location).toEqual({ kind: 'file', root: path.join(repoRoot, 'storage') });
    expect(readStorageEnv({ STORAGE_URL: ' ', STORAGE_DIR: '' }).location).toEqual({
      kind: 'file',
      root: path.join(repoRoot, 'storage'),
    });
  });

  it('keeps STORAGE_DIR working: absolute, or relative to the repository root', () => {
    expect(readStorageEnv({ STORAGE_DIR: '/srv/files' }).location).toEqual({ kind: 'file', root: '/srv/files' });
    expect(readStorageEnv({ STORAGE_DIR: 'data/files' }).location).toEqual({
      kind: 'file',
      root: path.join(repoRoot, 'data/files'),
    });
  });

  it('reads STORAGE_URL', () => {
    expect(readStorageEnv({ STORAGE_URL: 'file:///srv/files' }).location).toEqual({ kind: 'file', root: '/srv/files' });
    expect(readStorageEnv({ STORAGE_URL: 's3://bucket-1/x?endpoint=http://127.0.0.1:9000' }).location).toMatchObject({
      kind: 's3',
      bucket: 'bucket-1',
      prefix: 'x',
    });
  });

  it('refuses a bad URL, and both variables at once, with one sentence naming them', () => {
    expect(() => readStorageEnv({ STORAGE_URL: 'minio:9000/bucket' })).toThrow(
      /^STORAGE_URL "minio:9000\/bucket" must start with file:\/\/ or s3:\/\/\.$/,
    );
    expect(() => readStorageEnv({ STORAGE_URL: 'file:///a', STORAGE_DIR: '/a' })).toThrow(
      /^STORAGE_URL and STORAGE_DIR are both set/,
    );
  });
});
