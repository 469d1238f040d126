// The ZIP writer: STORED entries, correct CRC-32, readable by a standard tool's layout rules.
import { describe, expect, it } from 'vitest';
import { crc32, zipStored } from '../src/pipeline/zip.ts';
import { readZip } from './support/zip.ts';

describe('zip', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('writes stored entries in order', () => {
    const a = Buffer.from('first entry');
    const b = Buffer.from([0, 1, 2, 3, 255]);
    const zip = zipStored([
      { name: 'color.jpg', data: a },
      { name: 'alpha.png', data: b },
    ]);
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).toEqual(['color.jpg', 'alpha.png']);
    expect(entries.every((e) => e.method === 0)).toBe(true);
    expect(entries[0]!.data.equals(a)).toBe(true);
    expect(entries[1]!.data.equals(b)).toBe(true);
    expect(entries[1]!.crc).toBe(crc32(b));
  });
});
