// `bgr remove`: checks everything it can before the first request (exit 2), skips outputs that
// exist, asks before a large batch, then sends the files with bounded concurrency. A 402, a refused
// key or an unreachable server stops new submissions; the files not sent are reported as failed.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import path from 'node:path';
import { ApiClient } from '../api.js';
import { writeFileAtomic } from '../atomic-write.js';
import { Progress } from '../progress.js';
import { EXIT, UsageError } from '../usage-error.js';
import { idempotencyKey } from './idempotency.js';
import { collectJobs, existingOutput } from './inputs.js';
import { parseRemoveOptions } from './options.js';
import { credits, summarize, summaryText } from './report.js';

/** @typedef {import('./report.js').FileResult} FileResult */
/** @typedef {import('./inputs.js').Job} Job */

export const REMOVE_HELP = `Usage: bgr remove [options] <files, folders or globs…>

Removes the background of each image through the API and writes the result:
dog.jpg → dog-removebg.png beside it, or DIR/dog.png with --output-directory DIR.
Existing outputs are skipped (to save credits) unless --reprocess-existing.

Options:
  --api-key KEY              API key (default: $BGR_API_KEY, then $REMOVE_BG_API_KEY)
  --api-url URL              API server (default: $BGR_API_URL, then http://localhost:3000)
  --output-directory DIR     write results to DIR (the folder structure below each argument is kept)
  --reprocess-existing       process images whose output already exists
  --confirm-batch-over N     ask before processing more than N images (default 50; -1: never ask)
  --size SIZE                preview, small, regular, medium, hd, full, 4k, 50MP or auto (default auto)
  --type TYPE                foreground type: auto, person, product, car, …
  --channels CHANNELS        rgba (default) or alpha
  --bg-color COLOR           background color (hex such as 81d4fa, or a name)
  --bg-image-file FILE       background image
  --format FORMAT            png (default), jpg, webp, zip or auto
  --extra-api-option K=V     any other API parameter (repeatable), e.g. crop=true
  --concurrency N            requests at a time (default 4)
  --recursive                descend into sub-folders
  --json                     print one JSON document with the results on stdout
  -h, --help                 this help

Exit codes: 0 all done, 1 some files failed, 2 bad arguments (nothing was sent).`;

const EXTENSIONS = /** @type {Record<string, string>} */ ({
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'application/zip': 'zip',
});

/**
 * @param {{ stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, stdin: NodeJS.ReadStream }} io
 * @param {number} count
 * @param {number} limit
 */
async function confirmBatch(io, count, limit) {
  if (limit === -1 || count <= limit) return true;
  if (!io.stdin.isTTY || !io.stderr.isTTY) {
    throw new UsageError(
      `Refusing to process ${count} images without confirmation (more than --confirm-batch-over ${limit}); pass --confirm-batch-over ${count} or -1 to go ahead.`,
    );
  }
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(`Process ${count} images? Each one is charged at the API's price. [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * @param {string[]} argv
 * @param {{ stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, stdin: NodeJS.ReadStream }} io
 * @returns {Promise<number>}
 */
export async function removeCommand(argv, io) {
  const options = parseRemoveOptions(argv);
  if (options.help) {
    io.stdout.write(`${REMOVE_HELP}\n`);
    return EXIT.ok;
  }
  const jobs = collectJobs(options);
  const background = options.bgImageFile ? await readFile(options.bgImageFile) : undefined;
  const say = options.json ? null : (/** @type {string} */ line) => io.stdout.write(`${line}\n`);

  /** @type {(FileResult | undefined)[]} */
  const results = new Array(jobs.length);
  /** @type {number[]} */
  const todo = [];
  jobs.forEach((job, i) => {
    const existing = options.reprocessExisting ? undefined : existingOutput(job);
    if (existing) results[i] = { input: job.input, output: existing, status: 'skipped', credits: 0, error: null };
    else todo.push(i);
  });
  if (!(await confirmBatch(io, todo.length, options.confirmBatchOver))) {
    io.stderr.write('Nothing was processed.\n');
    return EXIT.ok;
  }

  const progress = new Progress({ total: jobs.length, bar: io.stderr.isTTY ? io.stderr : null, lines: say });
  progress.start();
  for (const result of results) if (result) progress.tick(`skipped ${result.input}: ${result.output} exists`);

  const client = new ApiClient({
    apiUrl: options.apiUrl,
    apiKey: options.apiKey,
    onWait: (reason, ms) => progress.log(`waiting ${Math.ceil(ms / 1000)} s (${reason})`),
  });
  /** @type {string | null} */
  let stopped = null;

  /** @param {Job} job @returns {Promise<FileResult>} */
  const processJob = async (job) => {
    const planned = job.extension ? `${job.outputStem}.${job.extension}` : null;
    const failed = (/** @type {string} */ error) => ({
      input: job.input,
      output: planned,
      status: /** @type {const} */ ('failed'),
      credits: 0,
      error,
    });
    if (stopped) return failed(`Not sent: ${stopped}.`);
    let image;
    try {
      image = await readFile(job.input);
    } catch (err) {
      return failed(`Could not read the file: ${/** @type {Error} */ (err).message}.`);
    }
    const form = new FormData();
    form.append('image_file', new Blob([image]), path.basename(job.input));
    for (const [name, value] of options.fields) form.append(name, value);
    if (background) form.append('bg_image_file', new Blob([background]), path.basename(options.bgImageFile ?? 'bg'));
    const answer = await client.removeBg(form, idempotencyKey(image, options.fields, background));
    if (!answer.ok) {
      if (answer.status === 402) stopped ??= 'the account has too few credits (the API answered 402)';
      if (answer.status === 403) stopped ??= 'the API key was refused (the API answered 403)';
      if (answer.status === 0) stopped ??= 'the server could not be reached, even after retries';
      return failed(answer.message);
    }
    const extension = job.extension ?? EXTENSIONS[answer.contentType.split(';')[0]?.trim() ?? ''] ?? 'png';
    const output = `${job.outputStem}.${extension}`;
    try {
      await writeFileAtomic(output, answer.body);
    } catch (err) {
      // Charged but not written: a rerun replays the same Idempotency-Key for free.
      return {
        ...failed(`Could not write ${output}: ${/** @type {Error} */ (err).message}.`),
        credits: answer.credits,
      };
    }
    return { input: job.input, output, status: 'processed', credits: answer.credits, error: null };
  };

  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const index = /** @type {number} */ (todo[next++]);
      const result = await processJob(/** @type {Job} */ (jobs[index]));
      results[index] = result;
      progress.tick(
        result.status === 'processed'
          ? `processed ${result.input} → ${result.output} (${credits(result.credits)})`
          : `failed ${result.input}: ${result.error}`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, todo.length) }, worker));
  progress.stop();

  const summary = summarize(/** @type {FileResult[]} */ (results));
  if (options.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    if (stopped) io.stdout.write(`Stopped sending new files: ${stopped}.\n`);
    io.stdout.write(`${summaryText(summary)}\n`);
  }
  return summary.failed > 0 ? EXIT.failed : EXIT.ok;
}
