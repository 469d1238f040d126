/** Cancelling a plan from the console, for a person or a team: the input and the call into @bgr/db's action. */
import type { Actor } from '@bgr/db/actions/actor';
import type { Db } from '@bgr/db/client';
import { cancelPlanAction } from '@bgr/db/actions/cancel-plan';
import { note, forOwners, type OwnerId, ownerTarget } from './owner';

export const cancelPlanInput = forOwners({ note });

export async function cancelPlan(db: Db, actor: Actor, input: OwnerId & { note?: string }) {
  const sub = await cancelPlanAction(db, { actor, ...ownerTarget(input), note: input.note || undefined });
  return { endsAt: sub.periodEnd };
}
