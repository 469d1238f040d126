/**
 * CSV formula injection in the improvement export's manifest: tags and file names come from users,
 * and a cell starting with = + - @, a tab or a carriage return would run as a formula when an admin
 * opens manifest.csv in a spreadsheet. Each such cell must start with a quote instead. Through the
 * real export (PGlite, local storage folder), then the cell rule on its own.
 */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { withTestDb } from '@bgr/db/test/support';
import { createImprovement } from '@bgr/db/queries/improvement';
import { createUser } from '@bgr/db/queries/users';
import { exportImprovements } from '~/app/admin/improvements/export/export';
import { csvCell } from '~/app/admin/improvements/export/manifest';
import { withLocalStorage } from '../support/local-storage';

/** RFC 4180 rows (quoted cells may hold commas, quotes, CR and LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  return rows;
}

const DANGEROUS = [
  '=HYPERLINK("http://evil.example","x")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1,2)',
  '\t=1+1',
  '\r=1+1',
];

describe('improvement export manifest (pglite)', () => {
  const t = withTestDb('pglite');
  const folder = withLocalStorage('manifest-csv');

  it('neutralises cells that start with = + - @, tab or CR in tags and file names', async () => {
    const { storage } = folder;
    const admin = await createUser(t.db, { email: 'admin@example.com', role: 'admin' });
    const user = await createUser(t.db, { email: 'ann@example.com' });
    for (const [i, evil] of DANGEROUS.entries()) {
      await storage.put(`improve/${i}`, new Uint8Array([i]));
      await createImprovement(t.db, {
        userId: user.id,
        source: 'api',
        storageKey: `improve/${i}`,
        filename: evil,
        tag: evil,
      });
    }
    await createImprovement(t.db, {
      userId: user.id,
      source: 'api',
      storageKey: 'improve/plain',
      filename: 'plain.jpg',
      tag: 'hair',
    });

    const { body } = await exportImprovements({ db: t.db, storage, actorId: admin.id });
    const files = unzipSync(new Uint8Array(await new Response(body).arrayBuffer()));
    const [header, ...rows] = parseCsv(strFromU8(files['manifest.csv']!));
    expect(header).toEqual(['file', 'origin', 'user', 'original_name', 'tag', 'created_at', 'included']);
    expect(rows).toHaveLength(DANGEROUS.length + 1);
    const originalNames = rows.map((r) => r[3]!);
    const tags = rows.map((r) => r[4]!);
    for (const evil of DANGEROUS) {
      expect(originalNames).toContain(`'${evil}`);
      expect(tags).toContain(`'${evil}`);
    }
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows.find((r) => r[3] === 'plain.jpg')?.[4]).toBe('hair');
  });
});

describe('csvCell', () => {
  it('quotes the dangerous starts and leaves ordinary text alone', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell('=a,"b"')).toBe('"\'=a,""b"""');
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell('2026-01-01T00:00:00.000Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(csvCell('')).toBe('');
  });
});
