/**
 * The Team page of the dashboard, for people in a team. Everyone sees their own use of the team's
 * credits and what is open to them; only owners see the team's balance, plan and each member's use.
 * Owners change members and caps only when an admin allowed it (the team's setting) — checked on
 * the server, on every call, inside the change's own transaction (the actions' `asOwner`); the
 * page's hidden buttons are a courtesy. Each change is the same audited action the admin console
 * runs, with the owner as its actor.
 */
import { z } from 'zod';
import { creditsToUnits } from '@bgr/credits';
import { createTRPCRouter, protectedProcedure } from '../trpc';
import { AppError } from '../../errors/app-error';
import { memberEmail, memberId, monthlyCredits } from '../../teams/inputs';
import { LedgerError } from '@bgr/db/queries/ledger';
import { getTeamForUser, TeamError } from '@bgr/db/queries/teams';
import { callersTeamId, myTeam, noticesFor } from '../../teams/my-team';
import type { Actor } from '@bgr/db/actions/actor';
import { addTeamMemberAction } from '@bgr/db/actions/team/add-team-member';
import { removeTeamMemberAction } from '@bgr/db/actions/team/remove-team-member';
import { setMemberCapAction } from '@bgr/db/actions/team/set-member-cap';

/** An owner's change is recorded like a console change, with the owner as the actor. */
const asOwner = (user: { id: string }): Actor => ({ via: 'web', actorId: user.id });

export const teamRouter = createTRPCRouter({
  /** null outside a team; an owner's answer carries the team-wide part, a member's never does. */
  mine: protectedProcedure.query(async ({ ctx }) => myTeam(ctx.db, ctx.user.id, new Date())),

  /** The 80 % notices for the home page and the dashboard; none outside a team. */
  notices: protectedProcedure.query(async ({ ctx }) => {
    const now = new Date();
    const m = await getTeamForUser(ctx.db, ctx.user.id, now);
    return m ? noticesFor(ctx.db, m, now) : [];
  }),

  addMember: protectedProcedure
    .input(z.object({ email: memberEmail, monthlyCredits: monthlyCredits.default(null) }))
    .mutation(async ({ ctx, input }) => {
      const teamId = await callersTeamId(ctx.db, ctx.user.id);
      try {
        await addTeamMemberAction(ctx.db, {
          actor: asOwner(ctx.user),
          asOwner: ctx.user.id,
          team: { id: teamId },
          user: { email: input.email },
          role: 'member',
          monthlyCapUnits: input.monthlyCredits === null ? null : creditsToUnits(input.monthlyCredits),
        });
      } catch (err) {
        // An owner is not an administrator: never name another team, nor echo the lookup.
        if (err instanceof TeamError && err.code === 'already_in_team')
          throw new AppError(
            'already_in_team',
            'This person is already in a team; an administrator can move them.',
            409,
          );
        if (err instanceof LedgerError && err.code === 'user_not_found')
          throw new AppError(
            'user_not_found',
            'No account uses that email address. Please ask an administrator to create one first.',
            404,
          );
        throw err;
      }
      return { ok: true as const };
    }),

  setCap: protectedProcedure.input(z.object({ userId: memberId, monthlyCredits })).mutation(async ({ ctx, input }) => {
    await setMemberCapAction(ctx.db, {
      actor: asOwner(ctx.user),
      asOwner: ctx.user.id,
      team: { id: await callersTeamId(ctx.db, ctx.user.id) },
      user: { id: input.userId },
      monthlyCapUnits: input.monthlyCredits === null ? null : creditsToUnits(input.monthlyCredits),
    });
    return { ok: true as const };
  }),

  removeMember: protectedProcedure.input(z.object({ userId: memberId })).mutation(async ({ ctx, input }) => {
    // Another owner is the admins' to remove: refused inside the action.
    await removeTeamMemberAction(ctx.db, {
      actor: asOwner(ctx.user),
      asOwner: ctx.user.id,
      team: { id: await callersTeamId(ctx.db, ctx.user.id) },
      user: { id: input.userId },
    });
    return { ok: true as const };
  }),
});
