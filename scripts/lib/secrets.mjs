// The secrets `npm start` generates once and keeps in <DATA_DIR>/secrets.json (the session-signing
// key and the web↔inference shared secret). The file is readable by its owner only: it is written
// with mode 0600 and forced back to 0600 on every start, even when it already existed looser
// (an older version, a restore from a backup, a hand-made copy).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class SecretsFileError extends Error {}

/** Reads (or creates) `<dataDir>/secrets.json`, fills any missing secret, and leaves it at 0600. */
export function loadOrCreateSecrets(dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  let stored = {};
  if (existsSync(file)) {
    // Tighten first, before the secrets are even read.
    chmodSync(file, 0o600);
    try {
      stored = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new SecretsFileError(`${file} is not valid JSON; fix or delete it (everyone will have to sign in again).`);
    }
  }
  const secrets = {
    nextauthSecret: stored.nextauthSecret || randomBytes(32).toString('base64url'),
    inferenceSecret: stored.inferenceSecret || randomBytes(32).toString('base64url'),
  };
  if (secrets.nextauthSecret !== stored.nextauthSecret || secrets.inferenceSecret !== stored.inferenceSecret) {
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { file, secrets };
}
