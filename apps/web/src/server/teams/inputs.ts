/** The zod pieces the team procedures share (admin console and owners alike), with their sentences. */
import { z } from 'zod';

export const teamId = z.uuid('That team does not exist.');
export const memberId = z.uuid('That person is not in the team.');
export const teamName = z
  .string()
  .trim()
  .min(1, 'Please enter a team name.')
  .max(100, 'Please keep the team name to 100 characters or fewer.');
export const memberEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Please enter the email address of the person to add.'));
export const teamRole = z.enum(['owner', 'member'], { error: 'A member is an owner or a member.' });
/** A monthly cap in credits (steps of ¼); null: no cap. */
export const monthlyCredits = z
  .number({ error: 'Please enter the monthly cap as a number of credits, or leave it empty for no cap.' })
  .min(0, 'A monthly cap cannot be negative.')
  .max(1_000_000, 'Please keep the monthly cap under 1,000,000 credits.')
  .refine((c) => Number.isInteger(c * 4), 'Credits come in steps of 0.25.')
  .nullable();
