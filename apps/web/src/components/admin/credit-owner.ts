'use client';
/**
 * Who the admin's credit forms act on: a person (the user page) or a team (the team page). The
 * grant and plan forms are the same forms for both; only the procedure they call differs, and that
 * choice is made here once instead of in each form.
 */
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';

export type CreditOwner = { userId: string } | { teamId: string };

export type GrantInput = { credits: number; kind: 'payg' | 'promo'; expiresAt?: Date; note?: string };
export type PlanInput = { monthlyCredits: number; note?: string };

/** One mutation whichever the owner is: `mutate` takes the input without the owner's id. */
function pick<I>(
  owner: CreditOwner,
  user: { mutate: (i: I & { userId: string }) => void },
  team: { mutate: (i: I & { teamId: string }) => void },
) {
  return (input: I) =>
    'teamId' in owner
      ? team.mutate({ ...input, teamId: owner.teamId })
      : user.mutate({ ...input, userId: owner.userId });
}

function state(owner: CreditOwner, user: MutationState, team: MutationState): MutationState {
  return 'teamId' in owner ? team : user;
}

type MutationState = { isPending: boolean; isSuccess: boolean; error: unknown; reset: () => void };

export function useGrant(owner: CreditOwner, onSuccess: () => void) {
  const trpc = useTRPC();
  const user = useMutation(trpc.admin.grant.mutationOptions({ onSuccess }));
  const team = useMutation(trpc.adminTeams.grant.mutationOptions({ onSuccess }));
  return { ...state(owner, user, team), mutate: pick<GrantInput>(owner, user, team) };
}

export function usePlanMutations(owner: CreditOwner, onSuccess: () => void) {
  const trpc = useTRPC();
  const startUser = useMutation(trpc.admin.startPlan.mutationOptions({ onSuccess }));
  const startTeam = useMutation(trpc.adminTeams.startPlan.mutationOptions({ onSuccess }));
  const changeUser = useMutation(trpc.admin.changePlan.mutationOptions({ onSuccess }));
  const changeTeam = useMutation(trpc.adminTeams.changePlan.mutationOptions({ onSuccess }));
  const cancelUser = useMutation(trpc.admin.cancelPlan.mutationOptions({ onSuccess }));
  const cancelTeam = useMutation(trpc.adminTeams.cancelPlan.mutationOptions({ onSuccess }));
  return {
    start: { ...state(owner, startUser, startTeam), mutate: pick<PlanInput>(owner, startUser, startTeam) },
    change: { ...state(owner, changeUser, changeTeam), mutate: pick<PlanInput>(owner, changeUser, changeTeam) },
    cancel: {
      ...state(owner, cancelUser, cancelTeam),
      mutate: pick<{ note?: string }>(owner, cancelUser, cancelTeam),
    },
  };
}
