/**
 * Whose credits a console action changes, and the input pieces the user page's and the team page's
 * procedures share. The @bgr/db actions already take either owner; the two routers differ only in
 * how their input names it (`userId` or `teamId`), so each credit action is written once in this
 * folder and its procedures take its input's `user` or `team` schema.
 */
import { z } from 'zod';
import type { Actor, OwnerTarget } from '@bgr/db/actions/actor';
import { teamId } from '../teams/inputs';

export const userId = z.uuid('That user does not exist.');
export const note = z.string().trim().max(500, 'Please keep the note under 500 characters.').optional();
export const credits = z
  .number({ error: 'Please enter a number of credits.' })
  .positive('Please enter a positive number of credits.')
  .max(1_000_000, 'Please grant at most 1,000,000 credits at a time.')
  .refine((c) => Number.isInteger(c * 4), 'Credits come in steps of 0.25.');

/**
 * An action's input for each owner: `user` names a person (`userId`, the user page's procedures),
 * `team` a team (`teamId`, the team page's); the action's own fields are the same for both.
 */
export function forOwners<F extends z.ZodRawShape>(fields: F) {
  return { user: z.object({ userId, ...fields }), team: z.object({ teamId, ...fields }) };
}

/** The owner as a parsed input names it. */
export type OwnerId = { userId: string } | { teamId: string };

/** The action's target for the owner the input names. */
export function ownerTarget(owner: OwnerId): OwnerTarget {
  return 'teamId' in owner ? { team: { id: owner.teamId } } : { user: { id: owner.userId } };
}

/** The console acts as the signed-in admin. */
export const webActor = (user: { id: string }): Actor => ({ via: 'web', actorId: user.id });
