/**
 * The web app's configuration, read and checked in one place (create-t3-turbo style): the web
 * app's own variables plus the pieces of @bgr/db, @bgr/inference-client and @bgr/storage, one zod schema.
 * Modules never read process.env; they call env() (or are handed a value from it).
 *
 * When it is checked: instrumentation.ts's register() calls checkEnvAtStart() as the server
 * starts, so a bad value stops it with one sentence naming the variable; every env() call (route
 * handlers, tRPC, next-auth) checks lazily on first use. Never during `next build`: nothing calls
 * env() at import time, and env() refuses to run in the build phase (npm start builds before it
 * creates NEXTAUTH_SECRET). The result is kept while the variables stay the same; tests that
 * change a variable get the new value on the next call.
 */
import type net from 'node:net';
import { z } from 'zod';
import { dbEnvSchema, toDbEnv, type DbEnv } from '@bgr/db/env';
import { inferenceClientEnvSchema, toInferenceClientOptions, type InferenceClientEnv } from '@bgr/inference-client/env';
import { storageEnvSchema, toStorageEnv, type StorageEnv } from '@bgr/storage/env';
import { parseTrustedProxies } from './server/client-address';

export type SignupMode = 'open' | 'invite' | 'off';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Unset or blank: the variable's default. */
const blank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === '';

/** A number ≥ min (> min when `exclusive`); unset or blank → `fallback`; else one sentence naming it. */
function numberVar(name: string, fallback: number, opts: { min: number; exclusive?: boolean; what: string }) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (blank(raw)) return fallback;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < opts.min || (opts.exclusive && n === opts.min)) {
        ctx.addIssue({ code: 'custom', message: `${name} must be ${opts.what} (got "${raw}").` });
        return z.NEVER;
      }
      return n;
    });
}

/** One of `values` (case and spaces ignored); unset or blank → `fallback`. */
function choiceVar<T extends string>(name: string, values: readonly T[], fallback: T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      if (blank(raw)) return fallback;
      const v = raw.trim().toLowerCase();
      if ((values as readonly string[]).includes(v)) return v as T;
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be ${values
          .map((x) => `"${x}"`)
          .join(', ')
          .replace(/, ([^,]*)$/, ' or $1')} (got "${raw}").`,
      });
      return z.NEVER;
    });
}

/** An optional http(s) URL. */
function urlVar(name: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (blank(raw)) return undefined;
      if (!/^https?:\/\//i.test(raw.trim()) || !URL.canParse(raw.trim())) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an http:// or https:// URL (got "${raw}").` });
        return z.NEVER;
      }
      return raw.trim();
    });
}

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (blank(raw) ? undefined : raw));

export const DEFAULT_RETENTION_DAYS = 30;
export const DEFAULT_RATE_LIMIT_MPU = 500;
export const DEFAULT_OIDC_NAME = 'Single sign-on';
/** Self sign-ups per client address an hour: an office behind one address signs up its people on day one. */
export const DEFAULT_SIGNUP_LIMIT_PER_HOUR = 60;

/** The web app's own variables. */
export const webEnvSchema = z.object({
  NODE_ENV: optionalText,
  NEXTAUTH_URL: urlVar('NEXTAUTH_URL'),
  AUTH_TRUST_HOST: optionalText,
  NEXTAUTH_SECRET: optionalText,
  AUTH_SECRET: optionalText,
  OIDC_ISSUER: urlVar('OIDC_ISSUER'),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_NAME: optionalText,
  SIGNUP: choiceVar<SignupMode>('SIGNUP', ['open', 'invite', 'off'], 'open'),
  SIGNUP_LIMIT_PER_HOUR: numberVar('SIGNUP_LIMIT_PER_HOUR', DEFAULT_SIGNUP_LIMIT_PER_HOUR, {
    min: 1,
    what: 'a number of sign-ups, 1 or more',
  }),
  RETENTION_DAYS: numberVar('RETENTION_DAYS', DEFAULT_RETENTION_DAYS, {
    min: 0,
    exclusive: true,
    what: 'a positive number of days',
  }),
  BGR_SCHEDULER: choiceVar('BGR_SCHEDULER', ['on', 'off'], 'on'),
  FETCH_ALLOW_HOSTS: optionalText,
  API_RATE_LIMIT_MPU: numberVar('API_RATE_LIMIT_MPU', DEFAULT_RATE_LIMIT_MPU, {
    min: 0,
    what: 'a number of megapixel-units per minute, 0 or more',
  }),
  API_FREE_CALLS: numberVar('API_FREE_CALLS', 0, { min: 0, what: 'a number of calls, 0 or more' }),
  METRICS_TOKEN: optionalText,
  LOG_LEVEL: choiceVar<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info'),
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseTrustedProxies(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
        return z.NEVER;
      }
    }),
});

/** Everything the web process reads: its own variables and its packages' pieces. */
export const envSchema = webEnvSchema
  .extend(dbEnvSchema.shape)
  .extend(inferenceClientEnvSchema.shape)
  .extend(storageEnvSchema.shape);

/** The names of every variable the web app reads (the README's configuration table is checked against them). */
export const ENV_NAMES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

export interface WebEnv {
  production: boolean;
  auth: {
    /** NEXTAUTH_URL; unset: the public URL comes from the Host header (trustHost). */
    url: string | undefined;
    trustHost: boolean;
    secret: string | undefined;
    /** The company's OIDC provider, when all three settings are present. */
    oidc: { issuer: string; clientId: string; clientSecret: string } | null;
    /** Label of the SSO button. */
    oidcName: string;
  };
  signup: SignupMode;
  /** Self sign-ups allowed per client address in an hour (SIGNUP_LIMIT_PER_HOUR). */
  signupLimitPerHour: number;
  /** Where files live (STORAGE_URL, or the older STORAGE_DIR; default <repo>/storage). */
  storage: StorageEnv;
  retentionDays: number;
  scheduler: boolean;
  /** FETCH_ALLOW_HOSTS as given (parsed by the URL fetcher). */
  fetchAllowHosts: string | undefined;
  api: { rateLimitMpu: number; freeCalls: number };
  trustedProxies: net.BlockList;
  /** METRICS_TOKEN: /metrics answers only `Authorization: Bearer <token>`; undefined: /metrics is 404. */
  metricsToken: string | undefined;
  /** LOG_LEVEL: what the JSON request log writes (default info). */
  logLevel: LogLevel;
  db: DbEnv;
  inference: InferenceClientEnv;
}

/** A configuration error: one sentence naming the variable. */
export class EnvError extends Error {
  override name = 'EnvError';
}

function problem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The environment is invalid.';
  if (issue.code === 'custom') return issue.message;
  return `${String(issue.path[0] ?? 'A variable')} is invalid: ${issue.message}.`;
}

/** Parses a set of variables (process.env, or a test's record); throws EnvError with one sentence. */
export function readWebEnv(raw: Record<string, string | undefined>): WebEnv {
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) throw new EnvError(problem(parsed.error));
  const e = parsed.data;
  const issuer = e.OIDC_ISSUER?.replace(/\/$/, '');
  return {
    production: e.NODE_ENV === 'production',
    auth: {
      url: e.NEXTAUTH_URL,
      trustHost: Boolean(e.AUTH_TRUST_HOST) || !e.NEXTAUTH_URL,
      secret: e.NEXTAUTH_SECRET ?? e.AUTH_SECRET,
      oidc:
        issuer && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
          ? { issuer, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET }
          : null,
      oidcName: e.OIDC_NAME ?? DEFAULT_OIDC_NAME,
    },
    signup: e.SIGNUP,
    signupLimitPerHour: Math.floor(e.SIGNUP_LIMIT_PER_HOUR),
    storage: storageOf(e),
    retentionDays: e.RETENTION_DAYS,
    scheduler: e.BGR_SCHEDULER !== 'off',
    fetchAllowHosts: e.FETCH_ALLOW_HOSTS,
    api: { rateLimitMpu: Math.max(1, Math.floor(e.API_RATE_LIMIT_MPU)), freeCalls: Math.floor(e.API_FREE_CALLS) },
    trustedProxies: e.TRUSTED_PROXIES,
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    db: toDbEnv(e),
    inference: toInferenceClientOptions(e),
  };
}

/** The storage piece; its one cross-variable rule (not both STORAGE_URL and STORAGE_DIR) as an EnvError. */
function storageOf(e: z.output<typeof storageEnvSchema>): StorageEnv {
  try {
    return toStorageEnv(e);
  } catch (err) {
    throw new EnvError(err instanceof Error ? err.message : String(err));
  }
}

/** True while `next build` loads modules (Next sets NEXT_PHASE in its build workers). */
export function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === 'phase-production-build';
}

let cached: { key: string; env: WebEnv } | undefined;

/** The validated configuration of this process. Throws EnvError (one sentence) on a bad value. */
export function env(): WebEnv {
  if (isBuildPhase())
    throw new EnvError('The configuration was read while `next build` ran; it is read only when the server runs.');
  if (cached?.key !== currentKey()) {
    const parsed = readWebEnv(process.env);
    applyNextAuthHostTrust(parsed);
    cached = { key: currentKey(), env: parsed };
  }
  return cached.env;
}

/** The raw values the cached configuration was parsed from. */
function currentKey(): string {
  return JSON.stringify(ENV_NAMES.map((name) => process.env[name] ?? null));
}

/**
 * next-auth v4 takes AUTH_TRUST_HOST from process.env only (utils/detect-origin.js): self-hosted
 * behind whatever host name people use, without NEXTAUTH_URL the Host header is trusted. The one
 * write to process.env, made with the first read of the configuration (before next-auth runs).
 */
function applyNextAuthHostTrust(e: WebEnv): void {
  if (!e.auth.url && !process.env.AUTH_TRUST_HOST) process.env.AUTH_TRUST_HOST = 'true';
}

/** Called once as the server starts: a bad value stops it with one sentence naming the variable. */
export function checkEnvAtStart(): void {
  if (isBuildPhase()) return;
  try {
    env();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(`[config] ${err.message}`);
    process.exit(1);
  }
}
