/**
 * The admin console's Teams: create and rename teams, members with role and monthly cap, the
 * "owners manage members" setting, credits (grants and plans: the handlers of `server/admin/` with
 * the team as owner, as the user page's are with a person), and a team's balance, ledger and use
 * per member. Every procedure is an `adminProcedure` (role re-read from the database on each call);
 * every change is an action of @bgr/db that writes its audit entry in the same transaction.
 */
import { z } from 'zod';
import { creditsToUnits } from '@bgr/credits';
import { adminProcedure, createTRPCRouter } from '../trpc';
import { AppError } from '../../errors/app-error';
import { memberEmail, memberId, monthlyCredits, teamId, teamName, teamRole } from '../../teams/inputs';
import { history } from '@bgr/db/queries/ledger';
import { getTeam, getTeamBalance, listTeams } from '@bgr/db/queries/teams';
import { listLots } from '@bgr/db/queries/admin';
import { addTeamMemberAction } from '@bgr/db/actions/team/add-team-member';
import { createTeamAction } from '@bgr/db/actions/team/create-team';
import { removeTeamMemberAction } from '@bgr/db/actions/team/remove-team-member';
import { renameTeamAction } from '@bgr/db/actions/team/rename-team';
import { setMemberCapAction } from '@bgr/db/actions/team/set-member-cap';
import { setMemberRoleAction } from '@bgr/db/actions/team/set-member-role';
import { setTeamSettingsAction } from '@bgr/db/actions/team/set-team-settings';
import { membersThisMonth } from '../../teams/my-team';
import { memberDays } from '../../teams/usage-days';
import { cancelPlan, cancelPlanInput } from '../../admin/cancel-plan';
import { changePlan, changePlanInput } from '../../admin/change-plan';
import { grantCredits, grantInput } from '../../admin/grant';
import { note, webActor } from '../../admin/owner';
import { startPlan, startPlanInput } from '../../admin/start-plan';
import { balanceBuckets } from '../../balance-view';
import { lastDays, USAGE_DAYS } from '../../usage-window';

const capUnits = (c: number | null) => (c === null ? null : creditsToUnits(c));

export const adminTeamsRouter = createTRPCRouter({
  list: adminProcedure.query(async ({ ctx }) => {
    const now = new Date();
    const teams = await listTeams(ctx.db, { now });
    return teams.map((t) => ({
      id: t.id,
      name: t.name,
      ownersManageMembers: t.ownersManageMembers,
      createdAt: t.createdAt,
      members: t.memberCount,
      totalUnits: t.totalUnits,
    }));
  }),

  create: adminProcedure.input(z.object({ name: teamName, note })).mutation(async ({ ctx, input }) => {
    const team = await createTeamAction(ctx.db, { actor: webActor(ctx.user), name: input.name, note: input.note });
    return { id: team.id, name: team.name };
  }),

  rename: adminProcedure.input(z.object({ teamId, name: teamName, note })).mutation(async ({ ctx, input }) => {
    await renameTeamAction(ctx.db, {
      actor: webActor(ctx.user),
      team: { id: input.teamId },
      name: input.name,
      note: input.note,
    });
    return { ok: true as const };
  }),

  setSettings: adminProcedure
    .input(z.object({ teamId, ownersManageMembers: z.boolean(), note }))
    .mutation(async ({ ctx, input }) => {
      await setTeamSettingsAction(ctx.db, {
        actor: webActor(ctx.user),
        team: { id: input.teamId },
        ownersManageMembers: input.ownersManageMembers,
        note: input.note,
      });
      return { ok: true as const };
    }),

  /** Everything about one team: balance by kind, plan, lots, ledger, members this month, 30 days of use per member. */
  team: adminProcedure.input(z.object({ teamId })).query(async ({ ctx, input }) => {
    const now = new Date();
    const team = await getTeam(ctx.db, input.teamId);
    if (!team) throw new AppError('not_found', 'That team does not exist.', 404);
    const [b, lots, entries, members, usage] = await Promise.all([
      getTeamBalance(ctx.db, { teamId: team.id, now }),
      listLots(ctx.db, { teamId: team.id, now }),
      history(ctx.db, { teamId: team.id, limit: 50 }),
      membersThisMonth(ctx.db, team.id, now),
      memberDays(ctx.db, team.id, lastDays(USAGE_DAYS, now)),
    ]);
    return {
      team: { id: team.id, name: team.name, ownersManageMembers: team.ownersManageMembers, createdAt: team.createdAt },
      balance: balanceBuckets(b),
      nextExpiries: b.nextExpiries,
      subscription: b.subscription,
      lots,
      entries,
      members,
      usage,
    };
  }),

  /* ---------------------------------------------------------------- members */

  addMember: adminProcedure
    .input(
      z.object({
        teamId,
        email: memberEmail,
        role: teamRole.default('member'),
        monthlyCredits: monthlyCredits.default(null),
        note,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await addTeamMemberAction(ctx.db, {
        actor: webActor(ctx.user),
        team: { id: input.teamId },
        user: { email: input.email },
        role: input.role,
        monthlyCapUnits: capUnits(input.monthlyCredits),
        note: input.note,
      });
      return { ok: true as const };
    }),

  /** A role, a cap, or both; a field left out is left as it is (each change is its own audit entry). */
  updateMember: adminProcedure
    .input(
      z
        .object({
          teamId,
          userId: memberId,
          role: teamRole.optional(),
          monthlyCredits: monthlyCredits.optional(),
          note,
        })
        .refine(
          (v) => v.role !== undefined || v.monthlyCredits !== undefined,
          'Please choose a role or a cap to change.',
        ),
    )
    .mutation(async ({ ctx, input }) => {
      const target = {
        actor: webActor(ctx.user),
        team: { id: input.teamId },
        user: { id: input.userId },
        note: input.note,
      };
      if (input.role !== undefined) await setMemberRoleAction(ctx.db, { ...target, role: input.role });
      if (input.monthlyCredits !== undefined)
        await setMemberCapAction(ctx.db, { ...target, monthlyCapUnits: capUnits(input.monthlyCredits) });
      return { ok: true as const };
    }),

  removeMember: adminProcedure.input(z.object({ teamId, userId: memberId, note })).mutation(async ({ ctx, input }) => {
    await removeTeamMemberAction(ctx.db, {
      actor: webActor(ctx.user),
      team: { id: input.teamId },
      user: { id: input.userId },
      note: input.note,
    });
    return { ok: true as const };
  }),

  /* ---------------------------------------------------------------- credits and plans */

  grant: adminProcedure
    .input(grantInput.team)
    .mutation(({ ctx, input }) => grantCredits(ctx.db, webActor(ctx.user), input)),

  startPlan: adminProcedure
    .input(startPlanInput.team)
    .mutation(({ ctx, input }) => startPlan(ctx.db, webActor(ctx.user), input)),

  changePlan: adminProcedure
    .input(changePlanInput.team)
    .mutation(({ ctx, input }) => changePlan(ctx.db, webActor(ctx.user), input)),

  cancelPlan: adminProcedure
    .input(cancelPlanInput.team)
    .mutation(({ ctx, input }) => cancelPlan(ctx.db, webActor(ctx.user), input)),
});
