// The client's settings, read and checked in one place: where the inference service(s) listen
// (INFERENCE_URLS, else 127.0.0.1:INFERENCE_PORT), the shared secret and the service's time limit.
// The client itself never reads the environment; a process calls readInferenceClientEnv once at
// start (the web app composes inferenceClientEnvSchema into its own env module) and passes the
// options in. wholeNumberVar is the one number rule, shared with the service's config.
// An INFERENCE_URLS entry written dns+http://NAME:PORT (or dns+https://) is discovered by DNS: one
// replica per address NAME resolves to, looked up again every 5 s (discovery.ts).
import { z } from 'zod';
import type { InferenceClientOptions } from './client.ts';
import { isDiscoveryUrl, parseDiscoveryUrl } from './discovery.ts';

export const DEFAULT_INFERENCE_PORT = 3001;
/** The service's per-request limit (INFERENCE_TIMEOUT_MS); the client waits 10 s longer. */
export const DEFAULT_INFERENCE_TIMEOUT_MS = 120_000;
export const CLIENT_TIMEOUT_MARGIN_MS = 10_000;

/** An optional whole-number variable: unset or empty → `fallback`; else a whole number ≥ `min`, or one sentence naming it. */
export function wholeNumberVar(name: string, fallback: number, min = 0) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number ≥ ${min} (got "${raw}").` });
        return z.NEVER;
      }
      return value;
    });
}

/** The first problem as one sentence naming the variable (zod's own issue text otherwise). */
export function envProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The environment is invalid.';
  if (issue.code === 'custom') return issue.message;
  return `${String(issue.path[0] ?? 'A variable')} is invalid: ${issue.message}.`;
}

/** The schema of the client's variables; its output is what the code uses. */
export const inferenceClientEnvSchema = z.object({
  INFERENCE_URLS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const urls = (raw ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      for (const url of urls) {
        const discovery = isDiscoveryUrl(url) ? parseDiscoveryUrl(url) : null;
        const problem =
          typeof discovery === 'string'
            ? discovery
            : !discovery && (!/^https?:\/\/[^/\s]+/.test(url) || !URL.canParse(url))
              ? `INFERENCE_URLS must be a comma-separated list of http:// or https:// URLs (got "${url}").`
              : null;
        if (problem) {
          ctx.addIssue({ code: 'custom', message: problem });
          return z.NEVER;
        }
      }
      return urls;
    }),
  INFERENCE_PORT: wholeNumberVar('INFERENCE_PORT', DEFAULT_INFERENCE_PORT, 0),
  INFERENCE_SECRET: z
    .string()
    .optional()
    .transform((raw) => raw ?? ''),
  INFERENCE_TIMEOUT_MS: wholeNumberVar('INFERENCE_TIMEOUT_MS', DEFAULT_INFERENCE_TIMEOUT_MS, 1),
});

export type InferenceClientEnv = Required<Pick<InferenceClientOptions, 'urls' | 'secret' | 'timeoutMs'>>;

/** From the schema's output (e.g. composed into an app's env) to the client's options. */
export function toInferenceClientOptions(parsed: z.output<typeof inferenceClientEnvSchema>): InferenceClientEnv {
  return {
    urls: parsed.INFERENCE_URLS.length ? parsed.INFERENCE_URLS : [`http://127.0.0.1:${parsed.INFERENCE_PORT}`],
    secret: parsed.INFERENCE_SECRET,
    timeoutMs: parsed.INFERENCE_TIMEOUT_MS + CLIENT_TIMEOUT_MARGIN_MS,
  };
}

/** The client's options from `env`; throws one sentence naming the variable when a value is bad. */
export function readInferenceClientEnv(env: Record<string, string | undefined> = process.env): InferenceClientEnv {
  const parsed = inferenceClientEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(envProblem(parsed.error));
  return toInferenceClientOptions(parsed.data);
}
