import { expect, test } from 'vitest';
import { creditsWord, formatCredits, formatCreditsNumber } from '../src/format';

test('whole numbers plain, quarters with up to two decimals, thousands grouped', () => {
  expect(formatCreditsNumber(12)).toBe('12');
  expect(formatCreditsNumber(1.5)).toBe('1.5');
  expect(formatCreditsNumber(0.25)).toBe('0.25');
  expect(formatCreditsNumber(1234.75)).toBe('1,234.75');
});

test('one credit is singular, every other amount plural', () => {
  expect(formatCredits(1)).toBe('1 credit');
  expect(formatCredits(0)).toBe('0 credits');
  expect(formatCredits(0.25)).toBe('0.25 credits');
  expect(creditsWord(1.25)).toBe('credits');
});
