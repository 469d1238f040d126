'use client';
/**
 * Adding, changing and removing team members, from the admin console (any team, any role) or from
 * the dashboard by an owner (their own team, members only, when the team allows it). The forms are
 * shared; which procedure they call is decided here once. The server checks every call again.
 */
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';

/** `admin`: the console, for the team with this id. `owner`: the signed-in owner's own team. */
export type MemberScope = { as: 'admin'; teamId: string } | { as: 'owner' };

type State = { isPending: boolean; isSuccess: boolean; error: unknown; reset: () => void };

export type AddInput = { email: string; role: 'owner' | 'member'; monthlyCredits: number | null };
/** A role (the console only) or a cap in credits (null: none); what is left out stays as it is. */
export type UpdateInput = { userId: string; role?: 'owner' | 'member'; monthlyCredits?: number | null };

export function useAddMember(scope: MemberScope, onSuccess: () => void) {
  const trpc = useTRPC();
  const admin = useMutation(trpc.adminTeams.addMember.mutationOptions({ onSuccess }));
  const owner = useMutation(trpc.team.addMember.mutationOptions({ onSuccess }));
  const s: State = scope.as === 'admin' ? admin : owner;
  return {
    ...s,
    mutate: (i: AddInput) =>
      scope.as === 'admin'
        ? admin.mutate({ teamId: scope.teamId, ...i })
        : owner.mutate({ email: i.email, monthlyCredits: i.monthlyCredits }),
  };
}

export function useUpdateMember(scope: MemberScope, onSuccess: () => void) {
  const trpc = useTRPC();
  const admin = useMutation(trpc.adminTeams.updateMember.mutationOptions({ onSuccess }));
  const owner = useMutation(trpc.team.setCap.mutationOptions({ onSuccess }));
  const s: State = scope.as === 'admin' ? admin : owner;
  return {
    ...s,
    mutate: (i: UpdateInput) =>
      scope.as === 'admin'
        ? admin.mutate({ teamId: scope.teamId, ...i })
        : i.monthlyCredits !== undefined && owner.mutate({ userId: i.userId, monthlyCredits: i.monthlyCredits }),
  };
}

export function useRemoveMember(scope: MemberScope, onSuccess: () => void) {
  const trpc = useTRPC();
  const admin = useMutation(trpc.adminTeams.removeMember.mutationOptions({ onSuccess }));
  const owner = useMutation(trpc.team.removeMember.mutationOptions({ onSuccess }));
  const s: State = scope.as === 'admin' ? admin : owner;
  return {
    ...s,
    mutate: (i: { userId: string; note?: string }) =>
      scope.as === 'admin' ? admin.mutate({ teamId: scope.teamId, ...i }) : owner.mutate({ userId: i.userId }),
  };
}
