/**
 * The web app's configuration (src/env.ts): every default as it was before the schema, a bad
 * value refused in one sentence naming the variable, the packages' pieces composed in, values
 * re-read when a variable changes, nothing read during `next build`, and the start-up check
 * stopping the process.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import { env, checkEnvAtStart, EnvError, readWebEnv } from '~/env';
import { clientAddress } from '~/server/client-address';

/** The repository root (STORAGE_DIR is relative to it; the default folder is in it). */
const repoRoot = path.resolve(import.meta.dirname, '../../../..');

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  vi.restoreAllMocks();
});

const from = (xff: string) => new Request('http://x/', { headers: { 'x-forwarded-for': xff } });

describe('defaults (nothing set)', () => {
  const e = readWebEnv({});
  it('web settings', () => {
    expect(e.signup).toBe('open');
    expect(e.signupLimitPerHour).toBe(60);
    expect(e.retentionDays).toBe(30);
    expect(e.scheduler).toBe(true);
    expect(e.storage.location).toEqual({ kind: 'file', root: path.join(repoRoot, 'storage') });
    expect(e.fetchAllowHosts).toBeUndefined();
    expect(e.api).toEqual({ rateLimitMpu: 500, freeCalls: 0 });
    expect(e.production).toBe(false);
    expect(e.auth).toMatchObject({
      url: undefined,
      trustHost: true,
      secret: undefined,
      oidc: null,
      oidcName: 'Single sign-on',
    });
    // No trusted proxies: the client is the socket peer (the rightmost entry).
    expect(clientAddress(from('6.6.6.6, 203.0.113.9'), e.trustedProxies)).toBe('203.0.113.9');
  });
  it("the packages' pieces: embedded database, 15-minute holds, one local inference service", () => {
    expect(e.db).toEqual({ databaseUrl: undefined, dataDir: undefined, holdTimeoutMs: 15 * 60_000, migrate: 'auto' });
    expect(e.inference).toEqual({ urls: ['http://127.0.0.1:3001'], secret: '', timeoutMs: 130_000 });
  });
  it('empty values are the defaults too', () => {
    const blank = readWebEnv({
      SIGNUP: '',
      RETENTION_DAYS: '',
      API_RATE_LIMIT_MPU: '',
      API_FREE_CALLS: '',
      OIDC_NAME: '',
      BGR_SCHEDULER: '',
    });
    expect([
      blank.signup,
      blank.retentionDays,
      blank.api.rateLimitMpu,
      blank.api.freeCalls,
      blank.auth.oidcName,
      blank.scheduler,
    ]).toEqual(['open', 30, 500, 0, 'Single sign-on', true]);
  });
});

describe('values', () => {
  it('reads every setting as before', () => {
    const e = readWebEnv({
      SIGNUP: ' Invite ',
      RETENTION_DAYS: '0.5',
      BGR_SCHEDULER: 'off',
      API_RATE_LIMIT_MPU: '12.9',
      API_FREE_CALLS: '7.5',
      NODE_ENV: 'production',
      NEXTAUTH_URL: 'https://bg.example.com',
      AUTH_SECRET: 'from-auth-secret',
      OIDC_ISSUER: 'https://sso.example.com/realms/acme/',
      OIDC_CLIENT_ID: 'bgr',
      OIDC_CLIENT_SECRET: 's3cret',
      OIDC_NAME: 'Acme SSO',
      TRUSTED_PROXIES: '10.0.0.0/8',
      STORAGE_DIR: 'data/files',
      FETCH_ALLOW_HOSTS: 'localhost,*.corp',
      DATABASE_URL: 'postgres://u@db/bgr',
      DATA_DIR: 'rel/data',
      HOLD_TIMEOUT_MIN: '5',
      DATABASE_MIGRATE: 'check',
      INFERENCE_URLS: 'http://a:1/, http://b:2',
      INFERENCE_SECRET: 'x',
      INFERENCE_TIMEOUT_MS: '1000',
    });
    expect(e.signup).toBe('invite');
    expect(e.retentionDays).toBe(0.5);
    expect(e.scheduler).toBe(false);
    // Megapixel-units and calls are whole (floored); at least one unit a minute.
    expect(e.api).toEqual({ rateLimitMpu: 12, freeCalls: 7 });
    expect(readWebEnv({ API_RATE_LIMIT_MPU: '0' }).api.rateLimitMpu).toBe(1);
    // Sign-ups per address an hour are whole, and at least one.
    expect(readWebEnv({ SIGNUP_LIMIT_PER_HOUR: '250.7' }).signupLimitPerHour).toBe(250);
    expect(() => readWebEnv({ SIGNUP_LIMIT_PER_HOUR: '0' })).toThrow(
      'SIGNUP_LIMIT_PER_HOUR must be a number of sign-ups, 1 or more (got "0").',
    );
    expect(e.production).toBe(true);
    expect(e.auth).toEqual({
      url: 'https://bg.example.com',
      trustHost: false,
      secret: 'from-auth-secret',
      oidc: { issuer: 'https://sso.example.com/realms/acme', clientId: 'bgr', clientSecret: 's3cret' },
      oidcName: 'Acme SSO',
    });
    expect(readWebEnv({ NEXTAUTH_SECRET: 'a', AUTH_SECRET: 'b' }).auth.secret).toBe('a');
    // SSO needs all three settings.
    expect(readWebEnv({ OIDC_ISSUER: 'https://sso.example.com', OIDC_CLIENT_ID: 'bgr' }).auth.oidc).toBeNull();
    expect(clientAddress(from('203.0.113.9, 10.1.2.3'), e.trustedProxies)).toBe('203.0.113.9');
    expect(e.storage.location).toEqual({ kind: 'file', root: path.join(repoRoot, 'data/files') });
    expect(readWebEnv({ STORAGE_URL: 's3://bgr-files/prod?endpoint=http://minio:9000' }).storage.location).toEqual({
      kind: 's3',
      bucket: 'bgr-files',
      prefix: 'prod',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    expect(e.fetchAllowHosts).toBe('localhost,*.corp');
    expect(e.db).toEqual({
      databaseUrl: 'postgres://u@db/bgr',
      dataDir: path.resolve('rel/data'),
      holdTimeoutMs: 5 * 60_000,
      migrate: 'check',
    });
    expect(e.inference).toEqual({ urls: ['http://a:1/', 'http://b:2'], secret: 'x', timeoutMs: 11_000 });
  });
});

describe('a bad value: one sentence naming the variable', () => {
  const cases: [Record<string, string>, string][] = [
    [
      { API_RATE_LIMIT_MPU: 'abc' },
      'API_RATE_LIMIT_MPU must be a number of megapixel-units per minute, 0 or more (got "abc").',
    ],
    [
      { API_RATE_LIMIT_MPU: '-5' },
      'API_RATE_LIMIT_MPU must be a number of megapixel-units per minute, 0 or more (got "-5").',
    ],
    [{ API_FREE_CALLS: 'many' }, 'API_FREE_CALLS must be a number of calls, 0 or more (got "many").'],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS must be a positive number of days (got "0").'],
    [{ RETENTION_DAYS: 'forever' }, 'RETENTION_DAYS must be a positive number of days (got "forever").'],
    [{ SIGNUP: 'closed' }, 'SIGNUP must be "open", "invite" or "off" (got "closed").'],
    [{ BGR_SCHEDULER: 'no' }, 'BGR_SCHEDULER must be "on" or "off" (got "no").'],
    [{ NEXTAUTH_URL: 'bg.example.com' }, 'NEXTAUTH_URL must be an http:// or https:// URL (got "bg.example.com").'],
    [{ OIDC_ISSUER: 'sso' }, 'OIDC_ISSUER must be an http:// or https:// URL (got "sso").'],
    [
      { TRUSTED_PROXIES: '10.0.0.0/33' },
      'TRUSTED_PROXIES has an entry that is not an address or CIDR range: "10.0.0.0/33".',
    ],
    // The packages' pieces keep their own sentences.
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a PostgreSQL URL'],
    [{ HOLD_TIMEOUT_MIN: '0' }, 'HOLD_TIMEOUT_MIN'],
    [{ INFERENCE_URLS: 'inference:3001' }, 'INFERENCE_URLS'],
    [{ INFERENCE_TIMEOUT_MS: '1.5' }, 'INFERENCE_TIMEOUT_MS'],
    [{ STORAGE_URL: 'ftp://files/x' }, 'STORAGE_URL "ftp://files/x" must start with file:// or s3://.'],
    [{ STORAGE_URL: 's3://b?endpoint=x' }, 'needs a bucket name'],
    [{ STORAGE_URL: 'file:///srv/bgr', STORAGE_DIR: '/srv/bgr' }, 'STORAGE_URL and STORAGE_DIR are both set'],
  ];
  it.each(cases)('%j', (raw, sentence) => {
    let thrown: unknown;
    try {
      readWebEnv(raw);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(EnvError);
    const message = (thrown as Error).message;
    expect(message).toContain(sentence);
    expect(message).toContain(Object.keys(raw)[0]);
    // One sentence: a capitalised variable name first, one full stop at the end, no line breaks.
    expect(message).toMatch(/^[A-Z_]+ [^\n]*\.$/);
  });
});

describe('env(): the process configuration', () => {
  it('follows process.env when a variable changes, and keeps the same object while none does', () => {
    process.env.SIGNUP = 'off';
    const first = env();
    expect(first.signup).toBe('off');
    expect(env()).toBe(first);
    process.env.SIGNUP = 'invite';
    expect(env().signup).toBe('invite');
  });

  it('without NEXTAUTH_URL, tells next-auth (which reads AUTH_TRUST_HOST from process.env only) to trust the Host header', () => {
    delete process.env.NEXTAUTH_URL;
    delete process.env.AUTH_TRUST_HOST;
    env();
    expect(process.env.AUTH_TRUST_HOST).toBe('true');
    delete process.env.AUTH_TRUST_HOST;
    process.env.NEXTAUTH_URL = 'https://bg.example.com';
    env();
    expect(process.env.AUTH_TRUST_HOST).toBeUndefined();
  });

  it('is never read while `next build` runs', () => {
    process.env.NEXT_PHASE = 'phase-production-build';
    process.env.API_RATE_LIMIT_MPU = 'abc';
    expect(() => env()).toThrow(/next build/);
    // The start-up check does nothing then.
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    checkEnvAtStart();
    expect(exit).not.toHaveBeenCalled();
  });

  it('checkEnvAtStart stops the process with the sentence when a value is bad', () => {
    process.env.API_RATE_LIMIT_MPU = 'abc';
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    checkEnvAtStart();
    expect(exit).toHaveBeenCalledWith(1);
    expect(error).toHaveBeenCalledWith(
      '[config] API_RATE_LIMIT_MPU must be a number of megapixel-units per minute, 0 or more (got "abc").',
    );
  });

  it('checkEnvAtStart lets a good configuration through', () => {
    process.env.API_RATE_LIMIT_MPU = '50';
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    checkEnvAtStart();
    expect(exit).not.toHaveBeenCalled();
    expect(env().api.rateLimitMpu).toBe(50);
  });
});
