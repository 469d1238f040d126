// Foreground colours for the soft edge at any size: blur fusion (foreground.ts) runs on float
// planes at a small working size, giving the slowly varying local foreground F̂ and background
// B̂; the per-pixel correction F = F̂ + α(I − αF̂ − (1−α)B̂) then runs at full size in 8-bit,
// sampling F̂/B̂ bilinearly, and only where 0 < α < 255 (opaque pixels keep the photo's colour,
// transparent ones are invisible). The correction is written into the image's own buffer, so no
// full-size copy is made (at 50 MP a copy would be 150 MB and its time).
import { blurFusion, type ColourPlanes } from './foreground.ts';

export interface DecontaminateInput {
  /** Full-size image, interleaved 8-bit, `channels` per pixel (RGB first); corrected in place. */
  rgb: Uint8Array;
  channels: number;
  width: number;
  height: number;
  /** Full-size 8-bit alpha. */
  alpha: Uint8Array;
  /** The same image and alpha at a small working size (same aspect). */
  smallRgb: Uint8Array;
  smallChannels: number;
  smallAlpha: Uint8Array;
  smallWidth: number;
  smallHeight: number;
}

/** Box radii of the two blur-fusion levels, as fractions of the image diagonal. */
const WIDE = 0.05;
const NARROW = 0.006;

/** F = F̂ + α(I − αF̂ − (1−α)B̂) on one 8-bit channel value, back to 8 bits. */
function fix(value: number, al: number, f: number, b: number): number {
  const v = f + al * (value / 255 - al * f - (1 - al) * b);
  return v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
}

/** Corrects the colours of input.rgb's semi-transparent pixels in place; the rest stay as they are. */
export function decontaminate(input: DecontaminateInput): void {
  const { width, height, smallWidth: sw, smallHeight: sh } = input;
  const sn = sw * sh;
  const I: ColourPlanes = [new Float32Array(sn), new Float32Array(sn), new Float32Array(sn)];
  const a = new Float32Array(sn);
  for (let i = 0, j = 0; i < sn; i++, j += input.smallChannels) {
    I[0][i] = input.smallRgb[j]! / 255;
    I[1][i] = input.smallRgb[j + 1]! / 255;
    I[2][i] = input.smallRgb[j + 2]! / 255;
    a[i] = input.smallAlpha[i]! / 255;
  }
  const diag = Math.hypot(sw, sh);
  const est = blurFusion(I, a, sw, sh, Math.max(2, Math.round(diag * WIDE)), Math.max(3, Math.round(diag * NARROW)));

  const n = width * height;
  const { rgb, channels, alpha } = input;
  // Only the semi-transparent pixels change (a few per cent of a photo).
  const kx = sw / width;
  const ky = sh / height;
  const [F0, F1, F2] = est.fg;
  const [B0, B1, B2] = est.bg;
  for (let i = 0; i < n; i++) {
    const av = alpha[i]!;
    if (av === 0 || av === 255) continue;
    const x = i % width;
    const y = (i - x) / width;
    // Bilinear sampling position in the small planes (pixel centres aligned).
    const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) * ky - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const fy = sy - y0;
    const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) * kx - 0.5));
    const x0 = Math.floor(sx);
    const x1 = Math.min(sw - 1, x0 + 1);
    const fx = sx - x0;
    const w00 = (1 - fx) * (1 - fy),
      w01 = fx * (1 - fy),
      w10 = (1 - fx) * fy,
      w11 = fx * fy;
    const i00 = y0 * sw + x0,
      i01 = y0 * sw + x1,
      i10 = y1 * sw + x0,
      i11 = y1 * sw + x1;
    const al = av / 255;
    const p = i * channels;
    rgb[p] = fix(
      rgb[p]!,
      al,
      F0[i00]! * w00 + F0[i01]! * w01 + F0[i10]! * w10 + F0[i11]! * w11,
      B0[i00]! * w00 + B0[i01]! * w01 + B0[i10]! * w10 + B0[i11]! * w11,
    );
    rgb[p + 1] = fix(
      rgb[p + 1]!,
      al,
      F1[i00]! * w00 + F1[i01]! * w01 + F1[i10]! * w10 + F1[i11]! * w11,
      B1[i00]! * w00 + B1[i01]! * w01 + B1[i10]! * w10 + B1[i11]! * w11,
    );
    rgb[p + 2] = fix(
      rgb[p + 2]!,
      al,
      F2[i00]! * w00 + F2[i01]! * w01 + F2[i10]! * w10 + F2[i11]! * w11,
      B2[i00]! * w00 + B2[i01]! * w01 + B2[i10]! * w10 + B2[i11]! * w11,
    );
  }
}
