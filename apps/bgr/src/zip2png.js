// `bgr zip2png`: remove.bg's ZIP format (color.jpg with the colors, alpha.png with the mask, both
// full size) → one PNG with transparency. Pure JavaScript decoders (fflate, jpeg-js, pngjs) rather
// than sharp, so the published CLI installs anywhere without native binaries.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { writeFileAtomic } from './atomic-write.js';
import { EXIT, UsageError } from './usage-error.js';

export const ZIP2PNG_HELP = `Usage: bgr zip2png [--output-directory DIR] <zip files…>

Turns results saved with --format zip (color.jpg + alpha.png) into PNGs with transparency:
photo.zip → photo.png beside it, or DIR/photo.png with --output-directory DIR.`;

/**
 * The PNG for one remove.bg ZIP.
 * @param {Uint8Array} zip
 * @returns {Buffer}
 */
export function zipToPng(zip) {
  /** @type {Record<string, Uint8Array>} */
  let entries;
  try {
    entries = unzipSync(zip, { filter: (f) => f.name === 'color.jpg' || f.name === 'alpha.png' });
  } catch {
    throw new Error('It is not a readable ZIP file.');
  }
  const colorBytes = entries['color.jpg'];
  const alphaBytes = entries['alpha.png'];
  if (!colorBytes || !alphaBytes) throw new Error('It does not hold color.jpg and alpha.png (remove.bg’s ZIP format).');
  const color = jpeg.decode(colorBytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 2048 });
  const alpha = PNG.sync.read(Buffer.from(alphaBytes));
  if (color.width !== alpha.width || color.height !== alpha.height) {
    throw new Error(
      `color.jpg is ${color.width}×${color.height} but alpha.png is ${alpha.width}×${alpha.height}; they must match.`,
    );
  }
  const out = new PNG({ width: color.width, height: color.height });
  const rgba = out.data;
  rgba.set(color.data);
  // pngjs hands every PNG back as RGBA; the grey mask's value is in each pixel's first channel.
  for (let i = 3; i < rgba.length; i += 4) rgba[i] = alpha.data[i - 3] ?? 0;
  return PNG.sync.write(out);
}

/**
 * @param {string[]} argv
 * @param {{ stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream }} io
 */
export async function zip2pngCommand(argv, io) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { 'output-directory': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(/** @type {Error} */ (err).message.split('\n')[0] ?? 'Bad arguments.');
  }
  if (parsed.values.help) {
    io.stdout.write(`${ZIP2PNG_HELP}\n`);
    return EXIT.ok;
  }
  const files = parsed.positionals;
  if (files.length === 0) throw new UsageError('Name at least one ZIP file (see bgr zip2png --help).');
  const missing = files.find((f) => !existsSync(f));
  if (missing) throw new UsageError(`No such file: "${missing}".`);
  const outDir = parsed.values['output-directory'];
  let failed = 0;
  for (const file of files) {
    const stem = path.basename(file, path.extname(file));
    const output = path.join(outDir ?? path.dirname(file), `${stem}.png`);
    try {
      await writeFileAtomic(output, zipToPng(await readFile(file)));
      io.stdout.write(`${file} → ${output}\n`);
    } catch (err) {
      failed++;
      io.stderr.write(`${file}: ${/** @type {Error} */ (err).message}\n`);
    }
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
