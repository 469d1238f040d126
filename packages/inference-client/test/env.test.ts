// The client's env piece: the defaults (127.0.0.1:3001, no secret, the service's 120 s + 10 s) and
// one sentence naming the variable for every bad value.
import { describe, expect, it } from 'vitest';
import { InferenceClient } from '../src/client.ts';
import { inferenceClientEnvSchema, readInferenceClientEnv } from '../src/env.ts';

describe('readInferenceClientEnv', () => {
  it('defaults to the local service on INFERENCE_PORT with the service timeout plus 10 s', () => {
    expect(readInferenceClientEnv({})).toEqual({ urls: ['http://127.0.0.1:3001'], secret: '', timeoutMs: 130_000 });
    expect(readInferenceClientEnv({ INFERENCE_URLS: ' ', INFERENCE_PORT: '', INFERENCE_TIMEOUT_MS: '' })).toEqual({
      urls: ['http://127.0.0.1:3001'],
      secret: '',
      timeoutMs: 130_000,
    });
    expect(
      readInferenceClientEnv({ INFERENCE_PORT: '3999', INFERENCE_SECRET: 'k', INFERENCE_TIMEOUT_MS: '5000' }),
    ).toEqual({ urls: ['http://127.0.0.1:3999'], secret: 'k', timeoutMs: 15_000 });
  });

  it('splits INFERENCE_URLS on commas, which win over INFERENCE_PORT', () => {
    expect(
      readInferenceClientEnv({ INFERENCE_URLS: 'http://a:1/, https://b.example:2,', INFERENCE_PORT: '4000' }).urls,
    ).toEqual(['http://a:1/', 'https://b.example:2']);
  });

  it('takes dns+http:// and dns+https:// entries (a name discovered by DNS) beside plain URLs', () => {
    expect(
      readInferenceClientEnv({ INFERENCE_URLS: 'dns+http://bgr-inference-pods:3001, https://b.example:2' }).urls,
    ).toEqual(['dns+http://bgr-inference-pods:3001', 'https://b.example:2']);
  });

  it.each([
    [
      'INFERENCE_URLS',
      'http://a:1,ftp://b',
      'INFERENCE_URLS must be a comma-separated list of http:// or https:// URLs (got "ftp://b").',
    ],
    [
      'INFERENCE_URLS',
      'localhost:3001',
      'INFERENCE_URLS must be a comma-separated list of http:// or https:// URLs (got "localhost:3001").',
    ],
    [
      'INFERENCE_URLS',
      'http://a:1,dns+http://10.0.0.7:3001',
      'INFERENCE_URLS: a dns+ URL needs a host name to look up, not an address (got "dns+http://10.0.0.7:3001").',
    ],
    [
      'INFERENCE_URLS',
      'dns+tcp://pods:3001',
      'INFERENCE_URLS: a dns+ URL must be dns+http:// or dns+https:// and a host name, e.g. dns+http://bgr-inference-pods:3001 (got "dns+tcp://pods:3001").',
    ],
    ['INFERENCE_PORT', 'eighty', 'INFERENCE_PORT must be a whole number ≥ 0 (got "eighty").'],
    ['INFERENCE_TIMEOUT_MS', '0', 'INFERENCE_TIMEOUT_MS must be a whole number ≥ 1 (got "0").'],
    ['INFERENCE_TIMEOUT_MS', '2m', 'INFERENCE_TIMEOUT_MS must be a whole number ≥ 1 (got "2m").'],
  ])('refuses %s=%s with one sentence naming it', (name, value, sentence) => {
    let message = '';
    try {
      readInferenceClientEnv({ [name]: value });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(sentence);
  });

  it('is a zod object an app can compose into its own env schema', () => {
    const appSchema = inferenceClientEnvSchema.extend({});
    expect(appSchema.parse({ INFERENCE_PORT: '3002' }).INFERENCE_PORT).toBe(3002);
    expect(appSchema.safeParse({ INFERENCE_PORT: 'x' }).success).toBe(false);
  });

  it('is the only way to the environment: the client itself needs a URL given', () => {
    expect(() => new InferenceClient({ urls: [] })).toThrow('The inference client needs at least one service URL.');
  });

  it('gives options the client takes as they are (trailing slashes trimmed by the client)', () => {
    const client = new InferenceClient({ ...readInferenceClientEnv({ INFERENCE_URLS: 'http://a:1/' }), retries: 0 });
    expect(client.urls).toEqual(['http://a:1']);
  });
});
