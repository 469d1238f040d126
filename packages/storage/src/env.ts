// Storage's settings, read and checked in one place: STORAGE_URL (file:///abs/path or
// s3://bucket/prefix?endpoint=…) or the older STORAGE_DIR (a folder, absolute or relative to the
// repository root); neither: <repo>/storage as before. S3 credentials are not read here: the AWS
// SDK's default chain reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY itself. The web app composes
// storageEnvSchema into its env module; the admin CLI calls readStorageEnv.
import path from 'node:path';
import { z } from 'zod';
import { defaultStorageDir, repoRoot } from './paths';
import { parseStorageUrl, StorageUrlError, type StorageLocation } from './url';

const blank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === '';

export const storageEnvSchema = z.object({
  STORAGE_URL: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (blank(raw)) return undefined;
      try {
        return parseStorageUrl(raw, 'STORAGE_URL');
      } catch (err) {
        if (!(err instanceof StorageUrlError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
        return z.NEVER;
      }
    }),
  STORAGE_DIR: z
    .string()
    .optional()
    .transform((raw) => (blank(raw) ? undefined : raw.trim())),
});

export interface StorageEnv {
  /** Where objects live. */
  location: StorageLocation;
}

/** From the schema's output (e.g. composed into an app's env) to the values the code uses. */
export function toStorageEnv(parsed: z.output<typeof storageEnvSchema>): StorageEnv {
  if (parsed.STORAGE_URL && parsed.STORAGE_DIR)
    throw new StorageUrlError(
      'STORAGE_URL and STORAGE_DIR are both set; set only one (STORAGE_DIR is the older way to name a folder).',
    );
  if (parsed.STORAGE_URL) return { location: parsed.STORAGE_URL };
  const root = parsed.STORAGE_DIR
    ? path.resolve(/*turbopackIgnore: true*/ repoRoot(), parsed.STORAGE_DIR)
    : defaultStorageDir();
  return { location: { kind: 'file', root } };
}

/** The storage settings from `env`; throws one sentence naming the variable when a value is bad. */
export function readStorageEnv(env: Record<string, string | undefined> = process.env): StorageEnv {
  const parsed = storageEnvSchema.safeParse(env);
  if (!parsed.success) throw new StorageUrlError(parsed.error.issues[0]?.message ?? 'STORAGE_URL is invalid.');
  return toStorageEnv(parsed.data);
}
