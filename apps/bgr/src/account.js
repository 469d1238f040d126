// `bgr account`: the balance from GET /v1.0/account, in words or as the API's JSON attributes.
import { parseArgs } from 'node:util';
import { ApiClient } from './api.js';
import { readEnv } from './env.js';
import { DEFAULT_API_URL } from './remove/options.js';
import { EXIT, UsageError } from './usage-error.js';

export const ACCOUNT_HELP = `Usage: bgr account [--api-key KEY] [--api-url URL] [--json]

Shows the credits left on the account of the API key.`;

/**
 * @param {string[]} argv
 * @param {{ stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream }} io
 */
export async function accountCommand(argv, io) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'api-key': { type: 'string' },
        'api-url': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(/** @type {Error} */ (err).message.split('\n')[0] ?? 'Bad arguments.');
  }
  if (parsed.values.help) {
    io.stdout.write(`${ACCOUNT_HELP}\n`);
    return EXIT.ok;
  }
  const env = readEnv();
  const apiKey = parsed.values['api-key'] ?? env.apiKey;
  if (!apiKey) throw new UsageError('An API key is needed: pass --api-key, or set BGR_API_KEY (or REMOVE_BG_API_KEY).');
  const apiUrl = parsed.values['api-url'] ?? env.apiUrl ?? DEFAULT_API_URL;
  let client;
  try {
    client = new ApiClient({ apiUrl, apiKey });
  } catch {
    throw new UsageError(`--api-url must be an http or https URL; got "${apiUrl}".`);
  }
  const answer = await client.account();
  if (!answer.ok) {
    io.stderr.write(`${answer.message}\n`);
    return EXIT.failed;
  }
  const attributes = answer.json?.data?.attributes ?? {};
  if (parsed.values.json) {
    io.stdout.write(`${JSON.stringify(attributes)}\n`);
    return EXIT.ok;
  }
  const c = attributes.credits ?? {};
  io.stdout.write(
    `${c.total ?? 0} credits (subscription ${c.subscription ?? 0}, pay as you go ${c.payg ?? 0}, other ${c.enterprise ?? 0}); ${attributes.api?.free_calls ?? 0} free API calls.\n`,
  );
  return EXIT.ok;
}
