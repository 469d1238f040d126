/**
 * The CLI's storage commands, which need no database: `storage copy --from URL --to URL` copies
 * every file from one storage to another (e.g. the local folder into S3 when the web tier is
 * scaled out). URLs take STORAGE_URL's forms; `--from` defaults to the configured storage
 * (STORAGE_URL, or STORAGE_DIR, or <repo>/storage). S3 credentials come from the AWS SDK's chain.
 */
import { formatStorageUrl, parseStorageUrl, StorageUrlError, type StorageLocation } from '@bgr/storage/url';
import type { StorageEnv } from '@bgr/storage/env';
import { type Flags, UsageError } from './args';
import type { Outcome } from './commands';

/** What a storage command does once its arguments are valid; `env` is the checked storage configuration. */
export type StorageRun = (env: () => StorageEnv) => Promise<Outcome>;

type StorageCommand = { usage: string; parse: (f: Flags) => StorageRun };

/** Progress on stderr every this many objects (stdout keeps its one JSON document). */
const PROGRESS_EVERY = 100;

function location(f: Flags, name: 'from' | 'to'): StorageLocation | undefined {
  const raw = name === 'to' ? f.required(name) : f.string(name);
  if (raw === undefined) return undefined;
  try {
    return parseStorageUrl(raw, `--${name}`);
  } catch (err) {
    if (err instanceof StorageUrlError) throw new UsageError(err.message);
    throw err;
  }
}

export const STORAGE_COMMANDS: Record<string, StorageCommand> = {
  'storage copy': {
    usage: 'storage copy [--from URL] --to URL',
    parse: (f) => {
      const given = location(f, 'from');
      const to = location(f, 'to')!;
      f.done();
      return async (env) => {
        // The S3 SDK is loaded only when a copy runs, not for every CLI command.
        const { copyStorage, createStorage } = await import('@bgr/storage');
        const from = given ?? env().location;
        if (formatStorageUrl(from) === formatStorageUrl(to))
          throw new UsageError('--from and --to name the same storage; nothing to copy.');
        let seen = 0;
        const result = await copyStorage(createStorage(from), createStorage(to), {
          onProgress: () => {
            if (++seen % PROGRESS_EVERY === 0) process.stderr.write(`storage copy: ${seen} objects so far\n`);
          },
        }).catch((err: unknown) => {
          if ((err as Error)?.name === 'CredentialsProviderError')
            throw new StorageUrlError(
              'No S3 credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or another source of the AWS SDK credential chain).',
            );
          throw err;
        });
        return { json: { from: formatStorageUrl(from), to: formatStorageUrl(to), ...result } };
      };
    },
  },
};
