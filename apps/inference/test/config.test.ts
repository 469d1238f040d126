// The service's configuration: the defaults the README documents, one sentence naming the
// variable for every bad value, and a real start of the service that stops on one.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/server/config.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(appDir, '..', '..');

describe('readConfig', () => {
  it('gives the documented defaults when nothing is set (empty values count as unset)', () => {
    const expected = {
      port: 3001,
      host: '127.0.0.1',
      secret: '',
      concurrency: 1,
      queue: 64,
      timeoutMs: 120_000,
      bodyTimeoutMs: 30_000,
      device: 'auto',
      threads: 0,
      imageThreads: 0,
      model: 'medium',
      modelsFile: undefined,
      modelsDir: join(repoRoot, 'models'),
      maskCacheBytes: 256 * 1024 * 1024,
      skipModelHash: false,
      metricsToken: undefined,
      logLevel: 'info',
    };
    expect(readConfig({})).toEqual(expected);
    const empty = Object.fromEntries(
      [
        'INFERENCE_PORT',
        'INFERENCE_HOST',
        'INFERENCE_CONCURRENCY',
        'INFERENCE_QUEUE',
        'INFERENCE_TIMEOUT_MS',
        'INFERENCE_BODY_TIMEOUT_MS',
        'INFERENCE_DEVICE',
        'INFERENCE_THREADS',
        'INFERENCE_IMAGE_THREADS',
        'INFERENCE_MODEL',
        'INFERENCE_MODELS_FILE',
        'MODELS_DIR',
        'MASK_CACHE_MB',
        'INFERENCE_SKIP_MODEL_HASH',
        'METRICS_TOKEN',
        'LOG_LEVEL',
      ].map((k) => [k, '']),
    );
    expect(readConfig(empty)).toEqual(expected);
  });

  it('reads every variable', () => {
    const config = readConfig({
      INFERENCE_PORT: '4000',
      INFERENCE_SECRET: 's3',
      INFERENCE_CONCURRENCY: '2',
      INFERENCE_QUEUE: '0',
      INFERENCE_TIMEOUT_MS: '5000',
      INFERENCE_BODY_TIMEOUT_MS: '700',
      INFERENCE_DEVICE: 'cuda',
      INFERENCE_THREADS: '3',
      INFERENCE_IMAGE_THREADS: '2',
      INFERENCE_MODEL: 'small',
      INFERENCE_MODELS_FILE: '/etc/models.json',
      MODELS_DIR: 'some/models',
      MASK_CACHE_MB: '0.5',
      INFERENCE_SKIP_MODEL_HASH: '1',
      METRICS_TOKEN: 'scrape-me',
      LOG_LEVEL: 'Debug',
    });
    expect(config).toEqual({
      port: 4000,
      host: '0.0.0.0', // a secret is set: listen on every interface
      secret: 's3',
      concurrency: 2,
      queue: 0,
      timeoutMs: 5000,
      bodyTimeoutMs: 700,
      device: 'cuda',
      threads: 3,
      imageThreads: 2,
      model: 'small',
      modelsFile: '/etc/models.json',
      modelsDir: resolve('some/models'),
      maskCacheBytes: 512 * 1024,
      skipModelHash: true,
      metricsToken: 'scrape-me',
      logLevel: 'debug',
    });
    expect(readConfig({ INFERENCE_SECRET: 's3', INFERENCE_HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
    expect(readConfig({ MASK_CACHE_MB: '0' }).maskCacheBytes).toBe(0);
  });

  it.each([
    ['INFERENCE_PORT', '-1', 'INFERENCE_PORT must be a whole number ≥ 0 (got "-1").'],
    ['INFERENCE_CONCURRENCY', 'x', 'INFERENCE_CONCURRENCY must be a whole number ≥ 1 (got "x").'],
    ['INFERENCE_CONCURRENCY', '0', 'INFERENCE_CONCURRENCY must be a whole number ≥ 1 (got "0").'],
    ['INFERENCE_QUEUE', '1.5', 'INFERENCE_QUEUE must be a whole number ≥ 0 (got "1.5").'],
    ['INFERENCE_TIMEOUT_MS', '0', 'INFERENCE_TIMEOUT_MS must be a whole number ≥ 1 (got "0").'],
    ['INFERENCE_BODY_TIMEOUT_MS', 'soon', 'INFERENCE_BODY_TIMEOUT_MS must be a whole number ≥ 1 (got "soon").'],
    ['INFERENCE_DEVICE', 'tpu', 'INFERENCE_DEVICE must be auto, cpu, webgpu or cuda (got "tpu").'],
    ['INFERENCE_THREADS', 'many', 'INFERENCE_THREADS must be a whole number ≥ 0 (got "many").'],
    ['INFERENCE_IMAGE_THREADS', '-2', 'INFERENCE_IMAGE_THREADS must be a whole number ≥ 0 (got "-2").'],
    ['MASK_CACHE_MB', '-3', 'MASK_CACHE_MB must be a number ≥ 0 (got "-3").'],
    ['MASK_CACHE_MB', 'lots', 'MASK_CACHE_MB must be a number ≥ 0 (got "lots").'],
    ['INFERENCE_SKIP_MODEL_HASH', 'yes', 'INFERENCE_SKIP_MODEL_HASH must be 1 (skip the sha256) or unset (got "yes").'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud").'],
  ])('refuses %s=%s with one sentence naming it', (name, value, sentence) => {
    expect(() => readConfig({ [name]: value })).toThrow(sentence);
    // The sentence is the whole message, nothing else.
    try {
      readConfig({ [name]: value });
    } catch (e) {
      expect((e as Error).message).toBe(sentence);
    }
  });

  it('stops the service at start, before the model loads, with the sentence', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: appDir,
      env: { ...process.env, INFERENCE_CONCURRENCY: 'x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
    expect(code).toBe(1);
    expect(output.trim()).toBe('inference: INFERENCE_CONCURRENCY must be a whole number ≥ 1 (got "x").');
  });
});
