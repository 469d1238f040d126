/**
 * One charging path: outside the ledger itself, only charge.ts (withCharge) reserves, captures or
 * releases credits. A source file that imports those from the ledger (or one of its inner files) fails this test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// The ledger itself (a folder of one concept per file) and withCharge.
const isAllowed = (rel: string) =>
  rel.startsWith('packages/db/src/queries/ledger/') || rel === 'packages/db/src/queries/charge.ts';

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.(ts|tsx|mjs|js)$/.test(name) && !/\.test\.ts$/.test(name)) out.push(full);
  }
  return out;
}

describe('the one charging path', () => {
  it('no source outside charge.ts imports reserve, capture or release from the ledger', () => {
    const offenders: string[] = [];
    const roots = ['apps/web/src', 'apps/inference/src', 'packages/db/src', 'packages/credits/src', 'scripts'].map(
      (r) => path.join(repoRoot, r),
    );
    for (const file of roots.flatMap((r) => sources(r))) {
      const rel = path.relative(repoRoot, file);
      if (isAllowed(rel)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"][^'"]*ledger(\/[^'"]*)?['"]/g)) {
        const names = m[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]);
        for (const n of names)
          if (['reserve', 'reserveLocked', 'capture', 'release'].includes(n!)) offenders.push(`${rel}: ${n}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
