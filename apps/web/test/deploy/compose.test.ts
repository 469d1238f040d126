/**
 * docker/compose.yaml against the Compose specification's JSON schema (vendored in docker/schema),
 * after Compose's own variable interpolation, plus what the file must say to run the product:
 * a migrate step web waits for, scaled inference listed in INFERENCE_URLS, S3 storage, healthchecks,
 * and only variables the configuration schemas know. `docker compose config` runs too where the
 * Compose plugin is installed (it is not on the development machines: the test prints that).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readWebEnv } from '~/env';
import { answers, interpolate, knownEnvNames, repo } from './support';

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
};
type ComposeFile = { services: Record<string, Service> };

const composePath = repo('docker/compose.yaml');
const given = { INFERENCE_SECRET: 'inference-secret', NEXTAUTH_SECRET: 'nextauth-secret' };

function load(vars: Record<string, string | undefined>): ComposeFile {
  return parse(interpolate(readFileSync(composePath, 'utf8'), vars), { merge: true }) as ComposeFile;
}

function validator() {
  const { $schema: draft, ...schema } = JSON.parse(readFileSync(repo('docker/schema/compose-spec.json'), 'utf8'));
  // Draft-07 under its https name (Ajv registers the http://…# one); Compose's own formats
  // (duration, ports, …) are not checked.
  expect(draft).toMatch(/draft-07/);
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  return ajv.compile(schema);
}

describe('docker/compose.yaml', () => {
  let compose: ComposeFile;
  beforeAll(() => {
    compose = load(given);
  });

  it('is a valid Compose file by the Compose specification schema', () => {
    const validate = validator();
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
    // The schema is not vacuous: a misspelt key and a non-integer replica count are refused.
    const broken = structuredClone(compose) as ComposeFile & { services: Record<string, Record<string, unknown>> };
    broken.services.web!.enviroment = {};
    expect(validate(broken)).toBe(false);
    const fractional = structuredClone(compose);
    fractional.services.inference!.deploy!.replicas = 1.5;
    expect(validate(fractional)).toBe(false);
  });

  it('refuses to start without the secrets, with a sentence saying which', () => {
    expect(() => load({ NEXTAUTH_SECRET: 'x' })).toThrow(/INFERENCE_SECRET: set INFERENCE_SECRET/);
    expect(() => load({ INFERENCE_SECRET: 'x' })).toThrow(/NEXTAUTH_SECRET: set NEXTAUTH_SECRET/);
  });

  it('runs PostgreSQL, S3 storage, a migrate step, web and scaled inference from the one image', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['bucket', 'inference', 'migrate', 'minio', 'postgres', 'web']);
    for (const name of ['migrate', 'inference', 'web']) {
      expect(services[name]!.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
      expect(services[name]!.image).toBe('bgr');
    }
    expect(services.migrate!.command).toEqual(['migrate']);
    expect(services.inference!.command).toEqual(['start:inference']);
    expect(services.web!.command).toEqual(['start:web']);
    expect(services.web!.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      inference: { condition: 'service_healthy' },
    });
    expect(services.migrate!.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    expect(String(services.web!.environment!.STORAGE_URL)).toMatch(/^s3:\/\/bgr\?endpoint=http:\/\/minio:9000/);
    for (const name of ['postgres', 'minio', 'inference', 'web'])
      expect(services[name]!.healthcheck?.test).toBeTruthy();
  });

  it('lists every inference replica in INFERENCE_URLS, at the default and a chosen scale', () => {
    const urls = (c: ComposeFile) => String(c.services.web!.environment!.INFERENCE_URLS).split(',');
    expect(compose.services.inference!.deploy!.replicas).toBe(2);
    expect(urls(compose)).toEqual(['http://bgr-inference-1:3001', 'http://bgr-inference-2:3001']);
    const three = load({
      ...given,
      INFERENCE_REPLICAS: '3',
      INFERENCE_URLS: 'http://bgr-inference-1:3001,http://bgr-inference-2:3001,http://bgr-inference-3:3001',
    });
    expect(three.services.inference!.deploy!.replicas).toBe(3);
    expect(urls(three)).toHaveLength(3);
  });

  it('gives web values its configuration schema accepts (S3 storage on MinIO, both inference replicas)', () => {
    const raw = Object.fromEntries(
      Object.entries(compose.services.web!.environment ?? {})
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, String(v)]),
    );
    const web = readWebEnv(raw);
    expect(web.inference.urls).toHaveLength(2);
    expect(web.storage.location).toMatchObject({ kind: 's3', bucket: 'bgr' });
  });

  it('gives the containers only variables the configuration schemas know', async () => {
    const known = await knownEnvNames();
    for (const name of ['migrate', 'inference', 'web']) {
      for (const variable of Object.keys(compose.services[name]!.environment ?? {})) {
        expect(known.has(variable), `${name}: ${variable} is not read by any configuration schema`).toBe(true);
      }
    }
  });

  it('passes `docker compose config` where the Compose plugin is installed', () => {
    if (!answers('docker', ['compose', 'version'])) {
      // Printed, not a skipped test: the schema check above is what runs here.
      console.log('docker compose config: not run — `docker compose version` does not answer on this machine.');
      return;
    }
    const res = spawnSync('docker', ['compose', '-f', composePath, 'config', '--quiet'], {
      encoding: 'utf8',
      env: { ...process.env, ...given },
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});
