/**
 * The admin console. Every procedure is an `adminProcedure` (role re-read from the database on each
 * call), and every mutation writes its audit entry in the same transaction as the change itself:
 * either both are recorded or neither is.
 *
 * Credit rules are not implemented here: each change is an admin action of @bgr/db
 * (`@bgr/db/actions/*`, shared with the CLI: one transaction, one audit shape with `via: "web"`),
 * whose ledger functions apply @bgr/credits. The credit procedures (grant and plans) call the
 * handlers of `server/admin/` with a person as owner; the Teams router calls them with a team.
 */
import { z } from 'zod';
import { createUserAction } from '@bgr/db/actions/create-user';
import { setDisabledAction } from '@bgr/db/actions/set-disabled';
import { setRoleAction } from '@bgr/db/actions/set-role';
import { balance, balances, history } from '@bgr/db/queries/ledger';
import { getUser, listUsers, UserError } from '@bgr/db/queries/users';
import {
  countImprovements,
  listAuditView,
  listImprovementImages,
  listLots,
  listUserHolds,
  listUserImages,
} from '@bgr/db/queries/admin';
import { helpFeedbackCounts } from '@bgr/db/queries/feedback';
import { usageOverview } from '@bgr/db/queries/reports';
import { adminProcedure, createTRPCRouter } from '../trpc';
import { AppError } from '../../errors/app-error';
import { cancelPlan, cancelPlanInput } from '../../admin/cancel-plan';
import { changePlan, changePlanInput } from '../../admin/change-plan';
import { grantCredits, grantInput } from '../../admin/grant';
import { parseDayRange } from '~/lib/day-range';
import { createdRange } from '../../admin/improvement-range';
import { note, userId, webActor } from '../../admin/owner';
import { startPlan, startPlanInput } from '../../admin/start-plan';
import { balanceBuckets, teamPart } from '../../balance-view';
import { lastDays, usageDaysInput } from '../../usage-window';

/** The improvement page's optional date range (YYYY-MM-DD, whole UTC days); checked by parseDayRange. */
const dayRangeInput = { from: z.string().max(40).optional(), to: z.string().max(40).optional() };

function checkedRange(input: { from?: string; to?: string }) {
  const parsed = parseDayRange(input);
  if (!parsed.ok) throw new AppError('bad_date_range', parsed.error, 400);
  return createdRange(parsed.range);
}

async function requireUser(db: Parameters<typeof getUser>[0], id: string) {
  const user = await getUser(db, id);
  if (!user) throw new AppError('not_found', 'That user does not exist.', 404);
  return user;
}

/** The fields of a user row the console shows, with the role narrowed once. */
function userSummary(u: {
  id: string;
  email: string;
  name?: string | null;
  role: string;
  disabled?: boolean | null;
  createdAt: Date;
}) {
  return {
    id: u.id,
    email: u.email,
    name: u.name ?? null,
    role: u.role === 'admin' ? ('admin' as const) : ('user' as const),
    disabled: Boolean(u.disabled),
    createdAt: u.createdAt,
  };
}

export const adminRouter = createTRPCRouter({
  /* ---------------------------------------------------------------- users */

  listUsers: adminProcedure
    .input(z.object({ search: z.string().trim().max(200).optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const rows = await listUsers(ctx.db, { search: input.search || undefined });
      const byUser = await balances(ctx.db, { userIds: rows.map((u) => u.id), now });
      return rows.map((u) => ({ ...userSummary(u), totalUnits: byUser.get(u.id)?.totalUnits ?? 0 }));
    }),

  createUser: adminProcedure
    .input(
      z.object({
        email: z.email('Please enter a valid email address.').transform((e) => e.trim().toLowerCase()),
        password: z.string().min(8, 'Please use at least 8 characters for the password.').max(200),
        name: z.string().trim().max(100).optional(),
        role: z.enum(['user', 'admin']).default('user'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      try {
        const user = await createUserAction(ctx.db, {
          actor: webActor(ctx.user),
          email: input.email,
          password: input.password,
          name: input.name || undefined,
          role: input.role,
        });
        return { id: user.id, email: user.email };
      } catch (err) {
        if (err instanceof UserError && err.code === 'email_taken') {
          throw new AppError('email_taken', 'An account with this email already exists.', 409);
        }
        throw err;
      }
    }),

  setDisabled: adminProcedure
    .input(z.object({ userId, disabled: z.boolean(), note }))
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.user.id && input.disabled) {
        throw new AppError('disable_self', 'You cannot disable your own account.', 400);
      }
      await setDisabledAction(ctx.db, {
        actor: webActor(ctx.user),
        userId: input.userId,
        disabled: input.disabled,
        note: input.note || undefined,
      });
      return { ok: true as const };
    }),

  setRole: adminProcedure
    .input(z.object({ userId, role: z.enum(['user', 'admin']), note }))
    .mutation(async ({ ctx, input }) => {
      await setRoleAction(ctx.db, {
        actor: webActor(ctx.user),
        userId: input.userId,
        role: input.role,
        note: input.note || undefined,
      });
      return { ok: true as const };
    }),

  /** Everything about one user: balance by bucket, lots with expiry, ledger entries, holds, images. */
  user: adminProcedure.input(z.object({ userId })).query(async ({ ctx, input }) => {
    const now = new Date();
    const u = await requireUser(ctx.db, input.userId);
    const [b, lots, entries, holds, images] = await Promise.all([
      balance(ctx.db, { userId: u.id, now }),
      listLots(ctx.db, { userId: u.id, now }),
      history(ctx.db, { userId: u.id, limit: 50 }),
      listUserHolds(ctx.db, { userId: u.id, limit: 20 }),
      listUserImages(ctx.db, { userId: u.id, limit: 50 }),
    ]);
    return {
      user: userSummary(u),
      balance: balanceBuckets(b),
      // A team member's total counts their team part; the buckets are their own credits.
      team: teamPart(b.team),
      nextExpiries: b.nextExpiries,
      subscription: b.subscription,
      lots,
      entries,
      holds,
      images,
    };
  }),

  /* ---------------------------------------------------------------- credits and plans */

  grant: adminProcedure
    .input(grantInput.user)
    .mutation(({ ctx, input }) => grantCredits(ctx.db, webActor(ctx.user), input)),

  startPlan: adminProcedure
    .input(startPlanInput.user)
    .mutation(({ ctx, input }) => startPlan(ctx.db, webActor(ctx.user), input)),

  changePlan: adminProcedure
    .input(changePlanInput.user)
    .mutation(({ ctx, input }) => changePlan(ctx.db, webActor(ctx.user), input)),

  cancelPlan: adminProcedure
    .input(cancelPlanInput.user)
    .mutation(({ ctx, input }) => cancelPlan(ctx.db, webActor(ctx.user), input)),

  /* ---------------------------------------------------------------- reports */

  audit: adminProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(100),
          beforeId: z.number().int().optional(),
          targetUserId: z.uuid().optional(),
        })
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => listAuditView(ctx.db, input)),

  usage: adminProcedure
    .input(usageDaysInput)
    .query(async ({ ctx, input }) =>
      usageOverview(ctx.db, { ...lastDays(input.days, new Date()), topUsers: 10, failures: 20 }),
    ),

  improvements: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100), ...dayRangeInput }).default({ limit: 100 }))
    .query(async ({ ctx, input }) => listImprovementImages(ctx.db, { limit: input.limit, range: checkedRange(input) })),

  /**
   * How many improvement images there are, within the date range when one is given (the page
   * says when an export cannot hold them all).
   */
  improvementsTotal: adminProcedure
    .input(z.object(dayRangeInput).default({}))
    .query(async ({ ctx, input }) => countImprovements(ctx.db, checkedRange(input))),

  helpFeedback: adminProcedure.query(async ({ ctx }) => helpFeedbackCounts(ctx.db)),
});
