// The database's settings, read and checked in one place: which database (DATABASE_URL, else the
// embedded one in DATA_DIR) and how long a credit hold may stay before processDue releases it.
// Queries never read the environment; the processes (web app, admin CLI) call readDbEnv once at
// start and pass the values in. The web app composes dbEnvSchema into its own env module.
import path from 'node:path';
import { z } from 'zod';

/** Minutes after which processDue releases a hold nobody captured or released (a crashed request). */
export const DEFAULT_HOLD_TIMEOUT_MIN = 15;

const blank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === '';

/** The schema of the database's variables; its output is what the code uses. */
export const dbEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (blank(raw)) return undefined;
      if (!/^postgres(ql)?:\/\//.test(raw.trim())) {
        ctx.addIssue({
          code: 'custom',
          message:
            'DATABASE_URL must be a PostgreSQL URL starting with postgres:// or postgresql:// (or unset for the embedded database).',
        });
        return z.NEVER;
      }
      return raw.trim();
    }),
  DATA_DIR: z
    .string()
    .optional()
    .transform((raw) => (blank(raw) ? undefined : path.resolve(raw))),
  DATABASE_MIGRATE: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (blank(raw)) return 'auto' as const;
      const mode = raw.trim();
      if (mode === 'auto' || mode === 'check') return mode;
      ctx.addIssue({ code: 'custom', message: `DATABASE_MIGRATE must be auto or check (got "${raw}").` });
      return z.NEVER;
    }),
  HOLD_TIMEOUT_MIN: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (blank(raw)) return DEFAULT_HOLD_TIMEOUT_MIN;
      const minutes = Number(raw);
      if (!Number.isFinite(minutes) || minutes <= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `HOLD_TIMEOUT_MIN must be a positive number of minutes (got "${raw}").`,
        });
        return z.NEVER;
      }
      return minutes;
    }),
});

export interface DbEnv {
  /** PostgreSQL URL; undefined = the embedded database. */
  databaseUrl: string | undefined;
  /** The embedded database's folder, resolved; undefined = <repo root>/.data. */
  dataDir: string | undefined;
  /** Age in ms after which processDue releases a hold. */
  holdTimeoutMs: number;
  /** DATABASE_MIGRATE: 'auto' migrates on open, 'check' refuses while migrations are pending (PostgreSQL). */
  migrate: 'auto' | 'check';
}

/** The first problem as one sentence naming the variable (zod's own issue text otherwise). */
export function envProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The environment is invalid.';
  if (issue.code === 'custom') return issue.message;
  return `${String(issue.path[0] ?? 'A variable')} is invalid: ${issue.message}.`;
}

/** The database settings from `env`; throws one sentence naming the variable when a value is bad. */
export function readDbEnv(env: Record<string, string | undefined> = process.env): DbEnv {
  const parsed = dbEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(envProblem(parsed.error));
  return toDbEnv(parsed.data);
}

/** From the schema's output (e.g. composed into an app's env) to the values the code uses. */
export function toDbEnv(parsed: z.output<typeof dbEnvSchema>): DbEnv {
  return {
    databaseUrl: parsed.DATABASE_URL,
    dataDir: parsed.DATA_DIR,
    holdTimeoutMs: parsed.HOLD_TIMEOUT_MIN * 60_000,
    migrate: parsed.DATABASE_MIGRATE,
  };
}
