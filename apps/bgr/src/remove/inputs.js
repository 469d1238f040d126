// From the command line's files, folders and globs to the list of jobs: which image goes where.
// Folders yield .jpg .jpeg .png .webp (any case); `*-removebg.*` files are never inputs, so a second
// run does not pay for the first run's outputs. Names follow remove-bg-cli: dog.jpg → dog-removebg.png
// beside it, or D/dog.png with --output-directory D (the structure below each argument kept).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../usage-error.js';
import { expandGlob, hasMagic } from './glob.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);

/**
 * @typedef {object} Job
 * @property {string} input
 * @property {string} outputStem the output path without its extension
 * @property {string | null} extension from --format; null for `auto` (the server's Content-Type decides)
 */

/** @param {string} file */
export function isOwnOutput(file) {
  return /-removebg\.[^./\\]+$/i.test(path.basename(file));
}

/** @param {string} file */
function isImage(file) {
  return IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase()) && !isOwnOutput(file);
}

/**
 * @param {string} dir
 * @param {boolean} recursive
 * @returns {string[]}
 */
function listFolder(dir, recursive) {
  /** @type {string[]} */
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) files.push(...listFolder(full, true));
    } else if (entry.isFile() && isImage(full)) files.push(full);
  }
  return files.sort();
}

/** @param {string} format */
export function extensionOf(format) {
  return format === 'auto' ? null : format;
}

/**
 * @param {{ inputs: string[], outputDirectory?: string, recursive: boolean, format: string }} options
 * @returns {Job[]}
 */
export function collectJobs({ inputs, outputDirectory, recursive, format }) {
  /** @type {{ file: string, base: string }[]} */
  const found = [];
  for (const arg of inputs) {
    if (existsSync(arg)) {
      const stat = statSync(arg);
      if (stat.isDirectory()) {
        for (const file of listFolder(arg, recursive)) found.push({ file, base: arg });
      } else if (!isOwnOutput(arg)) found.push({ file: arg, base: path.dirname(arg) });
    } else if (hasMagic(arg)) {
      const { base, files } = expandGlob(arg);
      for (const file of files) if (isImage(file)) found.push({ file, base });
    } else {
      throw new UsageError(`No such file or folder: "${arg}".`);
    }
  }
  if (found.length === 0) {
    throw new UsageError(
      `No images found in ${inputs.map((i) => `"${i}"`).join(', ')} (looked for .jpg, .jpeg, .png, .webp).`,
    );
  }

  const extension = extensionOf(format);
  /** @type {Job[]} */
  const jobs = [];
  const seenInputs = new Set();
  /** @type {Map<string, string>} */
  const outputs = new Map();
  for (const { file, base } of found) {
    const resolved = path.resolve(file);
    if (seenInputs.has(resolved)) continue;
    seenInputs.add(resolved);
    const stem = path.basename(file, path.extname(file));
    const outputStem = outputDirectory
      ? path.join(outputDirectory, path.relative(base, path.dirname(file)), stem)
      : path.join(path.dirname(file), `${stem}-removebg`);
    const clash = outputs.get(path.resolve(outputStem));
    if (clash) {
      throw new UsageError(
        `"${clash}" and "${file}" would both be written to "${outputStem}.${extension ?? '*'}"; rename one or process them separately.`,
      );
    }
    outputs.set(path.resolve(outputStem), file);
    jobs.push({ input: file, outputStem, extension });
  }
  return jobs;
}

/**
 * The output that already exists for a job, if any (with format auto: any image extension).
 * @param {Job} job
 */
export function existingOutput(job) {
  const candidates = job.extension ? [job.extension] : ['png', 'jpg', 'webp', 'zip'];
  return candidates.map((ext) => `${job.outputStem}.${ext}`).find((file) => existsSync(file));
}
