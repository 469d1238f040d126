// Shared helpers for the quality experiments (not product code).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const REPO = path.resolve(import.meta.dirname, '../../..');
export const EVAL_DIR = process.env.EVAL_DIR ?? '/work/shared/eval';
export const DEV_SET = path.join(EVAL_DIR, 'dev');
export const CACHE = process.env.QUALITY_CACHE ?? '/tmp/quality-cache';
export const OUT = process.env.QUALITY_OUT ?? '/tmp/quality-out';
export const MODEL_SIZE = 1024;

export type Item = { name: string; source: string; width: number; height: number };

export function manifest(): Item[] {
  const all = JSON.parse(fs.readFileSync(path.join(DEV_SET, 'manifest.json'), 'utf8')) as Item[];
  const only = process.env.ONLY;
  return only ? all.filter((i) => i.source === only || i.name.startsWith(only)) : all;
}

export function imagePath(item: Item): string {
  return path.join(DEV_SET, 'images', `${item.name}.jpg`);
}

export function cacheFile(variant: string, name: string): string {
  return path.join(CACHE, variant, `${name}.f32`);
}

export function readCache(variant: string, name: string): Float32Array | null {
  const f = cacheFile(variant, name);
  if (!fs.existsSync(f)) return null;
  const buf = fs.readFileSync(f);
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

export function writeCache(variant: string, name: string, data: Float32Array, extra = ''): void {
  const f = cacheFile(variant + extra, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

export type Summary = { n: number; mae: number; iou: number; maxF: number; edgeMae: number; softFrac: number };
export type Score = { all: Summary; bySource: Record<string, Summary> };

export function score(predDir: string, jsonOut: string): Score {
  const args = [path.join(EVAL_DIR, 'score.mjs'), '--set', DEV_SET, '--pred', predDir, '--json', jsonOut];
  execFileSync('node', args, { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(fs.readFileSync(jsonOut, 'utf8')) as Score;
}

export function fmt(s: Summary): string {
  return `mae=${s.mae.toFixed(4)} iou=${s.iou.toFixed(4)} maxF=${s.maxF.toFixed(4)} edge=${s.edgeMae.toFixed(4)} soft=${s.softFrac.toFixed(3)}`;
}
