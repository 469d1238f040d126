// The only place the CLI reads its environment: defaults for the API key and URL (flags win).

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ apiKey: string | undefined, apiUrl: string | undefined }}
 */
export function readEnv(env = process.env) {
  return {
    apiKey: env.BGR_API_KEY || env.REMOVE_BG_API_KEY || undefined,
    apiUrl: env.BGR_API_URL || undefined,
  };
}
