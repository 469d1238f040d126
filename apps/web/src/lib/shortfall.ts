/**
 * The part of a "not enough credits" sentence that says, for a team member, what ran out: their
 * monthly cap on team credits or the team's own credits (the ledger's `shortOf`). Outside a team
 * there is nothing to add. The same words as the API's 402 (server/removebg/handlers.ts).
 */
import type { Shortfall } from '@bgr/credits';

export function shortfallSentence(shortOf: Shortfall): string {
  if (shortOf === 'cap') return ' Your monthly team allowance is used up, and your own credits do not cover the rest.';
  if (shortOf === 'team') return " Your team's credits have run out, and your own credits do not cover the rest.";
  return '';
}
