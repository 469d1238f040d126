/**
 * `npm start` keeps the session-signing key and the inference secret in <DATA_DIR>/secrets.json:
 * whatever mode the file had before, it is owner-only (0600) after a start.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecrets, SecretsFileError } from '../../../scripts/lib/secrets.mjs';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bgr-secrets-'));
  dirs.push(dir);
  return dir;
}
const mode = (file: string) => statSync(file).mode & 0o777;

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('secrets.json', () => {
  it('is created owner-only', () => {
    const { file, secrets } = loadOrCreateSecrets(dataDir());
    expect(mode(file)).toBe(0o600);
    expect(secrets.nextauthSecret).toMatch(/^[\w-]{43}$/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(secrets);
  });

  it('is forced back to 0600 when it already existed world-readable, keeping its secrets', () => {
    const dir = dataDir();
    const file = path.join(dir, 'secrets.json');
    const kept = { nextauthSecret: 'kept-session-key', inferenceSecret: 'kept-inference-secret' };
    writeFileSync(file, JSON.stringify(kept));
    chmodSync(file, 0o644);
    expect(loadOrCreateSecrets(dir).secrets).toEqual(kept);
    expect(mode(file)).toBe(0o600);
  });

  it('is tightened even when it cannot be read as JSON (and the start stops with a sentence)', () => {
    const dir = dataDir();
    const file = path.join(dir, 'secrets.json');
    writeFileSync(file, '{ not json');
    chmodSync(file, 0o666);
    expect(() => loadOrCreateSecrets(dir)).toThrow(SecretsFileError);
    expect(() => loadOrCreateSecrets(dir)).toThrow(/is not valid JSON; fix or delete it/);
    expect(mode(file)).toBe(0o600);
  });
});
