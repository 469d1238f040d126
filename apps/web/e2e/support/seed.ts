/**
 * Run with tsx by the global setup while the app is still down (PGlite is single-process):
 * creates the e2e user with credits, and writes the fixture photos. Env: DATA_DIR, FIXTURE_DIR.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createDb } from '@bgr/db/client';
import { createUser } from '@bgr/db/queries/users';
import { grant } from '@bgr/db/queries/ledger';
import { creditsToUnits } from '@bgr/credits';

const email = process.env.SEED_EMAIL!;
const password = process.env.SEED_PASSWORD!;
const credits = Number(process.env.SEED_CREDITS ?? 2);
const fixtureDir = process.env.FIXTURE_DIR!;

/** A small synthetic "photo": a figure in front of a gradient. */
async function photo(width: number, height: number, hue: string, format: 'jpeg' | 'png'): Promise<Buffer> {
  const r = Math.min(width, height) * 0.3;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${hue}"/><stop offset="1" stop-color="#f2efe4"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width / 2}" cy="${height / 2 - r * 0.9}" r="${r * 0.45}" fill="#c98b6b"/>
    <rect x="${width / 2 - r * 0.6}" y="${height / 2 - r * 0.4}" width="${r * 1.2}" height="${r * 1.7}" rx="${r * 0.3}" fill="#2b3f73"/>
  </svg>`;
  const img = sharp(Buffer.from(svg));
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 90 }).toBuffer();
}

async function main() {
  mkdirSync(fixtureDir, { recursive: true });
  writeFileSync(path.join(fixtureDir, 'portrait.jpg'), await photo(640, 480, '#8fb8de', 'jpeg'));
  writeFileSync(path.join(fixtureDir, 'second.png'), await photo(400, 500, '#b6d7a8', 'png'));
  writeFileSync(path.join(fixtureDir, 'third.jpg'), await photo(500, 400, '#e6b8af', 'jpeg'));

  const handle = await createDb({ dataDir: process.env.DATA_DIR });
  try {
    const user = await createUser(handle.db, { email, password, name: 'Erin Example' });
    await grant(handle.db, { userId: user.id, units: creditsToUnits(credits), kind: 'payg', note: 'e2e seed' });
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
