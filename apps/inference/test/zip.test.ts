// The ZIP writer: STORED entries, correct CRC-32, readable by a standard tool's layout rules.
import { describe, expect, it } from 'vitest';
import { crc32, zipStored } from '../src/pipeline/zip.ts';

export function readZip(buf: Buffer): { name: string; method: number; data: Buffer; crc: number }[] {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    out.push({ name, method, crc, data: buf.subarray(start, start + size) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

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
