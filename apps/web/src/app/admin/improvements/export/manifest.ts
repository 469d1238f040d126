/**
 * The improvement export's file names and its manifest.csv (one row per item, safe to open in a
 * spreadsheet).
 */
import type { ImprovementItem } from '@bgr/db/queries/admin';
import { OVER_SIZE_CAP } from './caps';

/** A safe, unique file name inside the archive: `<origin>/<date>-<n>-<original name>`. */
export function improvementEntryName(item: ImprovementItem, index: number): string {
  const base =
    item.filename
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(-80) || 'image';
  const day = item.createdAt.toISOString().slice(0, 10);
  return `${item.origin}/${day}-${String(index + 1).padStart(4, '0')}-${base}`;
}

/**
 * One CSV cell. A cell starting with `= + - @`, a tab or a carriage return is read as a formula by
 * spreadsheets (names and tags come from users), so it gets a leading `'` (OWASP's advice): the
 * spreadsheet then shows the text as written.
 */
export function csvCell(v: string): string {
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * `missing`: the files not in the archive; of them, `overSizeCap` were left out by the export's
 * size cap (caps.ts), the others could not be read (deleted meanwhile).
 */
export function improvementsManifest(
  named: { item: ImprovementItem; name: string }[],
  missing: Set<string>,
  overSizeCap: Set<string> = new Set(),
): string {
  const lines = ['file,origin,user,original_name,tag,created_at,included'];
  for (const { item, name } of named) {
    lines.push(
      [
        name,
        item.origin,
        item.userEmail,
        item.filename,
        item.tag ?? '',
        item.createdAt.toISOString(),
        overSizeCap.has(name) ? OVER_SIZE_CAP : missing.has(name) ? 'no (file deleted)' : 'yes',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
