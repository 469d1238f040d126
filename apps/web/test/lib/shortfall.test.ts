/** What a team member's "not enough credits" sentence adds: which part ran out. */
import { expect, it } from 'vitest';
import { shortfallSentence } from '~/lib/shortfall';

it('names the cap or the team pool for a member, and adds nothing outside a team', () => {
  expect(shortfallSentence('cap')).toContain('monthly team allowance is used up');
  expect(shortfallSentence('team')).toContain("team's credits have run out");
  expect(shortfallSentence('own')).toBe('');
});
