// verifyModels (shared by fetch-model and start): corrupt or missing files are refused with a
// sentence that says how to fix it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyModels } from '../../../scripts/lib/models.mjs';

const dir = mkdtempSync(join(tmpdir(), 'bgr-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('verifyModels', () => {
  it('reports missing files', async () => {
    const r = await verifyModels({ dir });
    expect(r).toMatchObject({ ok: false, missing: true });
    expect(r.reason).toMatch(/npm run fetch-model/);
  });

  it('accepts files matching the manifest and refuses a corrupt one', async () => {
    const medium = Buffer.from('medium model bytes');
    const small = Buffer.from('small model bytes');
    writeFileSync(join(dir, 'isnet-medium.onnx'), medium);
    writeFileSync(join(dir, 'isnet-small.onnx'), small);
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        files: {
          'isnet-medium.onnx': { size: medium.length, sha256: sha(medium) },
          'isnet-small.onnx': { size: small.length, sha256: sha(small) },
        },
      }),
    );
    expect(await verifyModels({ dir })).toEqual({ ok: true });

    // Same size, one byte flipped: only the checksum can tell.
    const corrupt = Buffer.from(medium);
    corrupt[0] = corrupt[0]! ^ 1;
    writeFileSync(join(dir, 'isnet-medium.onnx'), corrupt);
    const r = await verifyModels({ dir });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/corrupt.*Delete the models\/ folder and run "npm run fetch-model"/);

    writeFileSync(join(dir, 'isnet-medium.onnx'), Buffer.concat([medium, Buffer.from('x')]));
    expect((await verifyModels({ dir, quick: true })).reason).toMatch(/bytes but should be/);
  });
});
