/**
 * How much one improvement export may hold. The ZIP streams, so memory stays small, but without
 * a bound one request would still read and send every stored image (thousands, up to 22 MB each):
 * an export holds the newest IMPROVEMENT_EXPORT_MAX_FILES images and stops before its images pass
 * IMPROVEMENT_EXPORT_MAX_BYTES. What a cap left out is said in sentences: on the page, in the
 * ZIP's export-note.txt and in manifest.csv's `included` column. An export may be given a date
 * range (lib/day-range.ts) to reach older images; the caps apply within it.
 */
export const IMPROVEMENT_EXPORT_MAX_FILES = 5000;
export const IMPROVEMENT_EXPORT_MAX_BYTES = 2_000_000_000;

/** The name of the ZIP entry that says what the caps left out (only when they did). */
export const EXPORT_NOTE_ENTRY = 'export-note.txt';

/** manifest.csv's `included` value for an image the size cap left out. */
export const OVER_SIZE_CAP = 'no (over the size cap)';

const count = (n: number) => n.toLocaleString('en-US');

/** Bytes as people read them: "2 GB", "1.5 MB", "900 bytes". */
export function sizeText(bytes: number): string {
  if (bytes >= 1e9) return `${Number((bytes / 1e9).toFixed(1))} GB`;
  if (bytes >= 1e6) return `${Number((bytes / 1e6).toFixed(1))} MB`;
  if (bytes >= 1e3) return `${Number((bytes / 1e3).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

/** The caps, in one sentence (the page's note by the download button). */
export function capsSentence(maxFiles = IMPROVEMENT_EXPORT_MAX_FILES, maxBytes = IMPROVEMENT_EXPORT_MAX_BYTES): string {
  return `One ZIP holds the newest ${count(maxFiles)} images and at most ${sizeText(maxBytes)} of them; what it leaves out is named in its ${EXPORT_NOTE_ENTRY}.`;
}

/**
 * When there are more images than one export holds; `within` names the export's date range
 * (lib/day-range.ts's dayRangeText) when it has one.
 */
export function countCutSentence(
  total: number,
  maxFiles = IMPROVEMENT_EXPORT_MAX_FILES,
  within: string | null = null,
): string {
  const left = total - maxFiles;
  const older = left === 1 ? 'older one is' : 'older ones are';
  return `There are ${count(total)} improvement images${within ? ` ${within}` : ''}; this export holds the newest ${count(maxFiles)}, so the ${count(left)} ${older} not in it.`;
}

/** When the size cap stopped the export before its last images. */
export function sizeCutSentence(leftOut: number, maxBytes = IMPROVEMENT_EXPORT_MAX_BYTES): string {
  return `This export stopped at its ${sizeText(maxBytes)} size cap: the ${count(leftOut)} older ${leftOut === 1 ? 'image' : 'images'} marked "${OVER_SIZE_CAP}" in manifest.csv ${leftOut === 1 ? 'is' : 'are'} not in it.`;
}
