// The shadow choice the remove page sends: names in any case, remove.bg's default opacities,
// opacity 0 as no shadow, and a sentence for anything else.
import { describe, expect, it } from 'vitest';
import { parseShadowChoice, ShadowChoiceError, shadowQuery, shadowVariant } from '~/lib/shadow';

describe('parseShadowChoice', () => {
  it('reads the four choices with their default opacities', () => {
    expect(parseShadowChoice(null, null)).toBeNull();
    expect(parseShadowChoice('none', '80')).toBeNull();
    expect(parseShadowChoice('drop', null)).toEqual({ type: 'drop', opacity: 50 });
    expect(parseShadowChoice('3d', '')).toEqual({ type: '3D', opacity: 50 });
    expect(parseShadowChoice('car', undefined)).toEqual({ type: 'car', opacity: 90 });
    expect(parseShadowChoice('Drop', '75')).toEqual({ type: 'drop', opacity: 75 });
    expect(parseShadowChoice('drop', '0')).toBeNull();
  });

  it('refuses unknown types and opacities outside 0..100 with a sentence', () => {
    for (const [type, opacity] of [
      ['auto', '50'],
      ['long', '50'],
      ['drop', '101'],
      ['drop', '-5'],
      ['drop', '12.5'],
      ['drop', 'dark'],
    ] as const) {
      expect(() => parseShadowChoice(type, opacity)).toThrow(ShadowChoiceError);
    }
    expect(() => parseShadowChoice('drop', '101')).toThrow(/whole number from 0 to 100\./);
  });

  it('names a choice in a query and in a stored file name', () => {
    expect(shadowQuery(null)).toBe('');
    expect(shadowQuery({ type: '3D', opacity: 40 })).toBe('shadow=3D&opacity=40');
    expect(shadowVariant(null)).toBe('');
    expect(shadowVariant({ type: '3D', opacity: 40 })).toBe('-shadow-3d-40');
  });
});
