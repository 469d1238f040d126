/**
 * The signed-in user's own numbers: balance by bucket (from the ledger, never recomputed here),
 * the subscription, what expires next, and usage over time. A team member's balance also carries
 * the team part: the team credits open to them now (the team's pool up to their cap left).
 */
import { balance } from '@bgr/db/queries/ledger';
import { userUsageByDay, userUsageEvents } from '@bgr/db/queries/reports';
import { createTRPCRouter, protectedProcedure } from '../trpc';
import { balanceBuckets, teamPart } from '../../balance-view';
import { lastDays, usageDaysInput } from '../../usage-window';

const HISTORY_LIMIT = 25;

export const dashboardRouter = createTRPCRouter({
  summary: protectedProcedure.query(async ({ ctx }) => {
    // The plan comes with the balance: both are read at the same instant, due renewals projected.
    const b = await balance(ctx.db, { userId: ctx.user.id, now: new Date() });
    return {
      // totalUnits already counts the team part; the buckets below are the person's own credits.
      team: teamPart(b.team),
      balance: balanceBuckets(b),
      nextExpiries: b.nextExpiries,
      subscription: b.subscription,
    };
  }),

  usage: protectedProcedure.input(usageDaysInput).query(async ({ ctx, input }) => {
    const [events, byDay] = await Promise.all([
      userUsageEvents(ctx.db, { userId: ctx.user.id, limit: HISTORY_LIMIT }),
      userUsageByDay(ctx.db, { userId: ctx.user.id, ...lastDays(input.days, new Date()) }),
    ]);
    return { events, byDay, limit: HISTORY_LIMIT };
  }),
});
