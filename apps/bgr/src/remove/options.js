// `bgr remove`'s flags (named as remove-bg-cli's), checked completely before any request: a bad
// value is a UsageError (exit 2) naming the flag and what it accepts.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readEnv } from '../env.js';
import { UsageError } from '../usage-error.js';

export const SIZES = ['preview', 'small', 'regular', 'medium', 'hd', 'full', '4k', '50MP', 'auto'];
export const FORMATS = ['auto', 'png', 'jpg', 'webp', 'zip'];
export const CHANNELS = ['rgba', 'alpha'];
export const DEFAULT_API_URL = 'http://localhost:3000';

/** Fields the CLI sets itself: an --extra-api-option may not set them. */
const RESERVED_FIELDS = {
  image_file: 'the CLI sends each file itself',
  image_file_b64: 'the CLI sends each file itself',
  image_url: 'the CLI sends each file itself',
  size: 'use --size',
  type: 'use --type',
  channels: 'use --channels',
  format: 'use --format',
  bg_color: 'use --bg-color',
  bg_image_file: 'use --bg-image-file',
};

/** @type {Record<string, { type: 'string' | 'boolean', multiple?: boolean, short?: string }>} */
const FLAGS = {
  'api-key': { type: 'string' },
  'api-url': { type: 'string' },
  'output-directory': { type: 'string' },
  'reprocess-existing': { type: 'boolean' },
  'confirm-batch-over': { type: 'string' },
  size: { type: 'string' },
  type: { type: 'string' },
  channels: { type: 'string' },
  'bg-color': { type: 'string' },
  'bg-image-file': { type: 'string' },
  format: { type: 'string' },
  'extra-api-option': { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  recursive: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/**
 * @typedef {object} RemoveOptions
 * @property {string[]} inputs
 * @property {string} apiKey
 * @property {string} apiUrl
 * @property {string | undefined} outputDirectory
 * @property {boolean} reprocessExisting
 * @property {number} confirmBatchOver -1: never ask
 * @property {string} format
 * @property {[string, string][]} fields every form field but the image and the background file
 * @property {string | undefined} bgImageFile
 * @property {number} concurrency
 * @property {boolean} recursive
 * @property {boolean} json
 * @property {boolean} help
 */

/**
 * `--confirm-batch-over -1`: util.parseArgs reads "-1" as an option, so a value-taking flag
 * followed by a negative number becomes `--flag=-1`.
 * @param {string[]} argv
 */
function joinNegativeValues(argv) {
  /** @type {string[]} */
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (name && FLAGS[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * @param {string} flag
 * @param {string | undefined} value
 * @param {number} fallback
 * @param {number} min
 */
function integer(flag, value, fallback, min) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${flag} must be a whole number of at least ${min}; got "${value}".`);
  }
  return n;
}

/**
 * @param {string} flag
 * @param {string | undefined} value
 * @param {string[]} allowed
 * @param {string} fallback
 */
function oneOf(flag, value, allowed, fallback) {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got "${value}".`);
  return value;
}

/** @param {string} message */
function argError(message) {
  // util.parseArgs' messages are sentences already; keep the first one.
  const first = /^.*?[.!?](?=\s|$)/.exec(message)?.[0] ?? message.split('\n')[0] ?? message;
  return new UsageError(first);
}

/**
 * @param {string[]} argv the arguments after `remove`
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {RemoveOptions}
 */
export function parseRemoveOptions(argv, env) {
  /** @type {ReturnType<typeof parseArgs>} */
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    throw argError(/** @type {Error} */ (err).message);
  }
  const v = /** @type {Record<string, string | boolean | string[] | undefined>} */ (parsed.values);
  const str = (/** @type {string} */ name) => /** @type {string | undefined} */ (v[name]);
  const help = v.help === true;
  const defaults = readEnv(env);
  const base = {
    inputs: parsed.positionals,
    help,
    json: v.json === true,
    recursive: v.recursive === true,
    reprocessExisting: v['reprocess-existing'] === true,
  };
  if (help) {
    return {
      ...base,
      apiKey: '',
      apiUrl: DEFAULT_API_URL,
      outputDirectory: undefined,
      confirmBatchOver: 50,
      format: 'png',
      fields: [],
      bgImageFile: undefined,
      concurrency: 4,
    };
  }

  if (parsed.positionals.length === 0) {
    throw new UsageError('Name at least one image, folder or glob to process (see bgr remove --help).');
  }
  const apiKey = str('api-key') ?? defaults.apiKey;
  if (!apiKey) {
    throw new UsageError('An API key is needed: pass --api-key, or set BGR_API_KEY (or REMOVE_BG_API_KEY).');
  }
  const apiUrl = str('api-url') ?? defaults.apiUrl ?? DEFAULT_API_URL;
  try {
    const url = new URL(apiUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new UsageError(`--api-url must be an http or https URL; got "${apiUrl}".`);
  }

  const size = oneOf('size', str('size'), SIZES, 'auto');
  const format = oneOf('format', str('format'), FORMATS, 'png');
  const channels = str('channels') === undefined ? undefined : oneOf('channels', str('channels'), CHANNELS, 'rgba');
  const type = str('type');
  if (type !== undefined && !/^[a-z_]+$/i.test(type)) {
    throw new UsageError(`--type must be a word such as auto, person, product or car; got "${type}".`);
  }
  const bgColor = str('bg-color');
  if (bgColor !== undefined && bgColor.trim() === '') throw new UsageError('--bg-color must not be empty.');
  const bgImageFile = str('bg-image-file');
  if (bgColor !== undefined && bgImageFile !== undefined) {
    throw new UsageError('Give only one of --bg-color and --bg-image-file.');
  }
  if (bgImageFile !== undefined && !(existsSync(bgImageFile) && statSync(bgImageFile).isFile())) {
    throw new UsageError(`--bg-image-file: no such file "${bgImageFile}".`);
  }

  /** @type {[string, string][]} */
  const fields = [['size', size]];
  if (type !== undefined) fields.push(['type', type]);
  if (channels !== undefined) fields.push(['channels', channels]);
  if (bgColor !== undefined) fields.push(['bg_color', bgColor]);
  fields.push(['format', format]);
  for (const option of /** @type {string[]} */ (v['extra-api-option'] ?? [])) {
    const eq = option.indexOf('=');
    const key = eq > 0 ? option.slice(0, eq).trim() : '';
    if (!/^[a-z0-9_]+$/i.test(key)) {
      throw new UsageError(`--extra-api-option must look like key=value (e.g. crop=true); got "${option}".`);
    }
    const reserved = RESERVED_FIELDS[/** @type {keyof typeof RESERVED_FIELDS} */ (key)];
    if (reserved) throw new UsageError(`--extra-api-option cannot set ${key}: ${reserved}.`);
    fields.push([key, option.slice(eq + 1)]);
  }

  const outputDirectory = str('output-directory');
  if (outputDirectory !== undefined && existsSync(outputDirectory) && !statSync(outputDirectory).isDirectory()) {
    throw new UsageError(`--output-directory "${outputDirectory}" exists and is not a folder.`);
  }

  return {
    ...base,
    apiKey,
    apiUrl,
    outputDirectory,
    confirmBatchOver: integer('confirm-batch-over', str('confirm-batch-over'), 50, -1),
    format,
    fields,
    bgImageFile,
    concurrency: integer('concurrency', str('concurrency'), 4, 1),
  };
}
