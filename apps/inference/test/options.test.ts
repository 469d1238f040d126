// remove.bg's option syntax: each parser accepts the documented forms and answers the documented
// error code for anything else.
import { describe, expect, it } from 'vitest';
import { RenderError } from '@bgr/inference-client/errors';
import { parseRenderOptions } from '@bgr/inference-client/options';
import {
  marginPixels,
  parseBgColor,
  parseCropMargin,
  parsePosition,
  parseRoi,
  parseScale,
} from '../src/pipeline/options/values.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof RenderError) return err.code;
    throw err;
  }
  return undefined;
}

describe('parseRenderOptions', () => {
  it('fills the defaults', () => {
    expect(parseRenderOptions({})).toMatchObject({ size: 'auto', format: 'auto', channels: 'rgba' });
  });
  it.each([
    [{ size: 'huge' }, 'invalid_size'],
    [{ format: 'gif' }, 'invalid_format'],
    [{ channels: 'rgb' }, 'invalid_channels'],
    [{ crop: 'yes' }, 'invalid_options'],
  ])('%j → %s', (raw, code) => {
    expect(codeOf(() => parseRenderOptions(raw))).toBe(code);
  });
  it('answers a sentence with the allowed values', () => {
    try {
      parseRenderOptions({ size: 'huge' });
    } catch (err) {
      expect((err as RenderError).detail).toMatch(/preview.*50MP/);
      expect((err as RenderError).status).toBe(400);
    }
  });
});

describe('roi', () => {
  it('reads pixels and percentages', () => {
    expect(parseRoi('0% 0% 100% 100%', 400, 300)).toEqual({ left: 0, top: 0, width: 400, height: 300 });
    expect(parseRoi('10px 20px 110px 220px', 400, 300)).toEqual({ left: 10, top: 20, width: 100, height: 200 });
    expect(parseRoi('25% 50% 75% 100%', 400, 300)).toEqual({ left: 100, top: 150, width: 200, height: 150 });
  });
  it.each([
    ['0 0 10', 'invalid_roi'],
    ['a b c d', 'invalid_roi'],
    ['0% 0% 101% 100%', 'roi_exceeds_bounds'],
    ['0px 0px 401px 10px', 'roi_exceeds_bounds'],
    ['-1px 0px 10px 10px', 'roi_exceeds_bounds'],
    ['50% 0% 50% 100%', 'roi_region_empty'],
    ['60% 0% 40% 100%', 'roi_region_empty'],
  ])('%s → %s', (roi, code) => {
    expect(codeOf(() => parseRoi(roi, 400, 300))).toBe(code);
  });
});

describe('crop_margin', () => {
  it('takes 1, 2 or 4 values in px or % of the subject', () => {
    const one = marginPixels(parseCropMargin('30px'), 200, 100);
    expect(one).toEqual({ top: 30, right: 30, bottom: 30, left: 30 });
    const two = marginPixels(parseCropMargin('10% 20px'), 200, 100);
    expect(two).toEqual({ top: 10, right: 20, bottom: 10, left: 20 });
    const four = marginPixels(parseCropMargin('1px 2px 3px 4px'), 200, 100);
    expect(four).toEqual({ top: 1, right: 2, bottom: 3, left: 4 });
    expect(marginPixels(parseCropMargin('50%'), 200, 100)).toEqual({ top: 50, right: 100, bottom: 50, left: 100 });
  });
  it.each(['51%', '501px', '-5px', '1px 2px 3px', 'wide'])('%s → invalid_crop_margin', (m) => {
    expect(codeOf(() => parseCropMargin(m))).toBe('invalid_crop_margin');
  });
});

describe('scale and position', () => {
  it('scale: original or 10%–100%', () => {
    expect(parseScale('original')).toBeNull();
    expect(parseScale('10%')).toBe(0.1);
    expect(parseScale('100%')).toBe(1);
    for (const bad of ['9%', '101%', '50', 'big']) expect(codeOf(() => parseScale(bad))).toBe('invalid_scale');
  });
  it('position: original, center, one or two percentages', () => {
    expect(parsePosition('original')).toBeNull();
    expect(parsePosition('center')).toEqual({ x: 0.5, y: 0.5 });
    expect(parsePosition('25%')).toEqual({ x: 0.25, y: 0.25 });
    expect(parsePosition('0% 100%')).toEqual({ x: 0, y: 1 });
    for (const bad of ['left', '101%', '10% 20% 30%', '-1%'])
      expect(codeOf(() => parsePosition(bad))).toBe('invalid_position');
  });
});

describe('bg_color', () => {
  it('reads hex with 3, 4, 6 or 8 digits and CSS names', () => {
    expect(parseBgColor('fff')).toEqual({ r: 255, g: 255, b: 255, alpha: 1 });
    expect(parseBgColor('#81d4fa')).toEqual({ r: 0x81, g: 0xd4, b: 0xfa, alpha: 1 });
    expect(parseBgColor('81d4fa77')).toEqual({ r: 0x81, g: 0xd4, b: 0xfa, alpha: 0x77 / 255 });
    expect(parseBgColor('f008')).toEqual({ r: 255, g: 0, b: 0, alpha: 0x88 / 255 });
    expect(parseBgColor('green')).toEqual({ r: 0, g: 128, b: 0, alpha: 1 });
    expect(parseBgColor('RebeccaPurple')).toEqual({ r: 0x66, g: 0x33, b: 0x99, alpha: 1 });
  });
  it.each(['ff', '12345', 'notacolour', 'ggg'])('%s → invalid_bg_color', (c) => {
    expect(codeOf(() => parseBgColor(c))).toBe('invalid_bg_color');
  });
});
