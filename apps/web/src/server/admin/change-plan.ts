/** Changing a plan's monthly credits from the console, for a person or a team: the input and the call into @bgr/db's action. */
import { creditsToUnits } from '@bgr/credits';
import type { Actor } from '@bgr/db/actions/actor';
import type { Db } from '@bgr/db/client';
import { changePlanAction } from '@bgr/db/actions/change-plan';
import { credits, note, forOwners, type OwnerId, ownerTarget } from './owner';

export const changePlanInput = forOwners({ monthlyCredits: credits, note });

export async function changePlan(db: Db, actor: Actor, input: OwnerId & { monthlyCredits: number; note?: string }) {
  const sub = await changePlanAction(db, {
    actor,
    ...ownerTarget(input),
    monthlyUnits: creditsToUnits(input.monthlyCredits),
    note: input.note || undefined,
  });
  return { periodEnd: sub.periodEnd };
}
