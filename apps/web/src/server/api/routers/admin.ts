/**
 * The admin console. Every procedure is an `adminProcedure` (role re-read from the database on each
 * call), and every mutation writes its audit entry in the same transaction as the change itself:
 * either both are recorded or neither is.
 *
 * Credit rules are not implemented here: grants, plans and balances go through @bgr/db's ledger
 * functions, which apply @bgr/credits.
 */
import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { creditsToUnits } from '@bgr/credits';
import { writeAudit } from '@bgr/db/queries/audit';
import { balance, cancelSubscription, changePlan, grant, history, LedgerError, startSubscription } from '@bgr/db/queries/ledger';
import { createUser, findUserByEmail, getUser, listUsers, setDisabled, setRole, UserError } from '@bgr/db/queries/users';
import { inTransaction, listAuditView, listUserHolds, listUserImages, listUserLots, listImprovementImages } from '@bgr/db/queries/admin';
import { helpFeedbackCounts } from '@bgr/db/queries/feedback';
import { usageOverview } from '@bgr/db/queries/reports';
import { adminProcedure, createTRPCRouter } from '../trpc';

const userId = z.uuid('That user does not exist.');
const note = z.string().trim().max(500, 'Please keep the note under 500 characters.').optional();
const credits = z
  .number({ error: 'Please enter a number of credits.' })
  .positive('Please enter a positive number of credits.')
  .max(1_000_000, 'Please grant at most 1,000,000 credits at a time.')
  .refine((c) => Number.isInteger(c * 4), 'Credits come in steps of 0.25.');

/** The ledger's refusals (no plan, plan exists, bad amount) as tRPC errors carrying its sentence. */
async function ledgerCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LedgerError) {
      const code = err.code === 'user_not_found' ? 'NOT_FOUND' : err.code === 'subscription_exists' ? 'CONFLICT' : 'BAD_REQUEST';
      throw new TRPCError({ code, message: err.message, cause: err });
    }
    throw err;
  }
}

/** The plan as the ledger sees it at `now` (due renewals projected), or null. */
async function currentPlan(db: Parameters<typeof balance>[0], userId: string, now: Date) {
  return (await balance(db, { userId, now })).subscription;
}

/**
 * A role or disabled-flag change: the last-admin rule is checked inside its transaction, under row
 * locks (@bgr/db's setRole/setDisabled), and its refusals become sentences.
 */
async function standingChange<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UserError && (err.code === 'last_admin' || err.code === 'not_admin' || err.code === 'not_found')) {
      const code = err.code === 'last_admin' ? 'BAD_REQUEST' : err.code === 'not_admin' ? 'FORBIDDEN' : 'NOT_FOUND';
      throw new TRPCError({ code, message: err.code === 'not_found' ? 'That user does not exist.' : err.message, cause: err });
    }
    throw err;
  }
}

async function requireUser(db: Parameters<typeof getUser>[0], id: string) {
  const user = await getUser(db, id);
  if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: 'That user does not exist.' });
  return user;
}

export const adminRouter = createTRPCRouter({
  /* ---------------------------------------------------------------- users */

  listUsers: adminProcedure.input(z.object({ search: z.string().trim().max(200).optional() }).default({})).query(async ({ ctx, input }) => {
    const now = new Date();
    const rows = await listUsers(ctx.db, { search: input.search || undefined });
    return Promise.all(
      rows.map(async (u) => ({
        id: u.id,
        email: u.email,
        name: u.name ?? null,
        role: u.role === 'admin' ? ('admin' as const) : ('user' as const),
        disabled: Boolean(u.disabled),
        createdAt: u.createdAt,
        totalUnits: (await balance(ctx.db, { userId: u.id, now })).totalUnits,
      })),
    );
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
      if (await findUserByEmail(ctx.db, input.email)) {
        throw new TRPCError({ code: 'CONFLICT', message: 'An account with this email already exists.' });
      }
      return inTransaction(ctx.db, async (tx) => {
        const user = await createUser(tx, { email: input.email, password: input.password, name: input.name || undefined, role: input.role });
        await writeAudit(tx, {
          actorId: ctx.user.id,
          action: 'user.create',
          targetUserId: user.id,
          details: { email: user.email, role: input.role },
        });
        return { id: user.id, email: user.email };
      });
    }),

  setDisabled: adminProcedure.input(z.object({ userId, disabled: z.boolean(), note })).mutation(async ({ ctx, input }) => {
    if (input.userId === ctx.user.id && input.disabled) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'You cannot disable your own account.' });
    }
    const target = await requireUser(ctx.db, input.userId);
    return standingChange(() => inTransaction(ctx.db, async (tx) => {
      await setDisabled(tx, target.id, input.disabled, { actorId: ctx.user.id });
      await writeAudit(tx, {
        actorId: ctx.user.id,
        action: input.disabled ? 'user.disable' : 'user.enable',
        targetUserId: target.id,
        note: input.note || undefined,
        details: { email: target.email },
      });
      return { ok: true as const };
    }));
  }),

  setRole: adminProcedure.input(z.object({ userId, role: z.enum(['user', 'admin']), note })).mutation(async ({ ctx, input }) => {
    const target = await requireUser(ctx.db, input.userId);
    return standingChange(() => inTransaction(ctx.db, async (tx) => {
      await setRole(tx, target.id, input.role, { actorId: ctx.user.id });
      await writeAudit(tx, {
        actorId: ctx.user.id,
        action: input.role === 'admin' ? 'user.promote' : 'user.demote',
        targetUserId: target.id,
        note: input.note || undefined,
        details: { email: target.email, from: target.role, to: input.role },
      });
      return { ok: true as const };
    }));
  }),

  /** Everything about one user: balance by bucket, lots with expiry, ledger entries, holds, images. */
  user: adminProcedure.input(z.object({ userId })).query(async ({ ctx, input }) => {
    const now = new Date();
    const u = await requireUser(ctx.db, input.userId);
    const [b, lots, entries, holds, images] = await Promise.all([
      balance(ctx.db, { userId: u.id, now }),
      listUserLots(ctx.db, { userId: u.id, now }),
      history(ctx.db, { userId: u.id, limit: 50 }),
      listUserHolds(ctx.db, { userId: u.id, limit: 20 }),
      listUserImages(ctx.db, { userId: u.id, limit: 50 }),
    ]);
    return {
      user: {
        id: u.id,
        email: u.email,
        name: u.name ?? null,
        role: u.role === 'admin' ? ('admin' as const) : ('user' as const),
        disabled: Boolean(u.disabled),
        createdAt: u.createdAt,
      },
      balance: {
        totalUnits: b.totalUnits,
        subscriptionUnits: b.subscriptionUnits,
        rolloverUnits: b.rolloverUnits,
        paygUnits: b.paygUnits,
        promoUnits: b.promoUnits,
        heldUnits: b.heldUnits,
      },
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
    .input(
      z
        .object({
          userId,
          credits,
          kind: z.enum(['payg', 'promo']),
          /** Promo only; absent = never expires. PAYG always expires two years after the grant. */
          expiresAt: z.coerce.date().optional(),
          note,
        })
        .refine((v) => v.kind === 'promo' || v.expiresAt === undefined, {
          message: 'Pay-as-you-go credits always expire two years after purchase; leave the expiry empty.',
          path: ['expiresAt'],
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const now = new Date();
      if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'The expiry date must be in the future.' });
      }
      const target = await requireUser(ctx.db, input.userId);
      const units = creditsToUnits(input.credits);
      return ledgerCall(() =>
        inTransaction(ctx.db, async (tx) => {
          // The ledger sets the PAYG expiry (two calendar years) itself; promo takes the admin's date or none.
          const lot = await grant(tx, {
            userId: target.id,
            units,
            kind: input.kind,
            expiresAt: input.kind === 'promo' ? (input.expiresAt ?? null) : undefined,
            note: input.note || undefined,
            actorId: ctx.user.id,
            now,
          });
          await writeAudit(tx, {
            actorId: ctx.user.id,
            action: 'credits.grant',
            targetUserId: target.id,
            note: input.note || undefined,
            details: { email: target.email, kind: input.kind, units, credits: input.credits, lotId: lot.id, expiresAt: lot.expiresAt?.toISOString() ?? null },
          });
          return { units, expiresAt: lot.expiresAt };
        }),
      );
    }),

  startPlan: adminProcedure
    .input(z.object({ userId, monthlyCredits: credits, note }))
    .mutation(async ({ ctx, input }) => {
      const target = await requireUser(ctx.db, input.userId);
      const now = new Date();
      const monthlyUnits = creditsToUnits(input.monthlyCredits);
      return ledgerCall(() =>
        inTransaction(ctx.db, async (tx) => {
          const sub = await startSubscription(tx, { userId: target.id, monthlyUnits, actorId: ctx.user.id, now });
          await writeAudit(tx, {
            actorId: ctx.user.id,
            action: 'subscription.start',
            targetUserId: target.id,
            note: input.note || undefined,
            details: { email: target.email, monthlyUnits, monthlyCredits: input.monthlyCredits, periodEnd: sub.periodEnd.toISOString() },
          });
          return { periodEnd: sub.periodEnd };
        }),
      );
    }),

  changePlan: adminProcedure
    .input(z.object({ userId, monthlyCredits: credits, note }))
    .mutation(async ({ ctx, input }) => {
      const target = await requireUser(ctx.db, input.userId);
      const now = new Date();
      const current = await currentPlan(ctx.db, target.id, now);
      if (!current) throw new TRPCError({ code: 'BAD_REQUEST', message: 'This user has no plan to change. Start one instead.' });
      const monthlyUnits = creditsToUnits(input.monthlyCredits);
      return ledgerCall(() =>
        inTransaction(ctx.db, async (tx) => {
          const sub = await changePlan(tx, { userId: target.id, monthlyUnits, actorId: ctx.user.id, now });
          await writeAudit(tx, {
            actorId: ctx.user.id,
            action: 'subscription.change',
            targetUserId: target.id,
            note: input.note || undefined,
            details: { email: target.email, fromMonthlyUnits: current.monthlyUnits, monthlyUnits, monthlyCredits: input.monthlyCredits, periodEnd: sub.periodEnd.toISOString() },
          });
          return { periodEnd: sub.periodEnd };
        }),
      );
    }),

  cancelPlan: adminProcedure.input(z.object({ userId, note })).mutation(async ({ ctx, input }) => {
    const target = await requireUser(ctx.db, input.userId);
    const now = new Date();
    const current = await currentPlan(ctx.db, target.id, now);
    if (!current || current.cancelAtPeriodEnd) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: current ? 'This plan is already cancelled.' : 'This user has no plan to cancel.' });
    }
    return ledgerCall(() =>
      inTransaction(ctx.db, async (tx) => {
        const sub = await cancelSubscription(tx, { userId: target.id, now });
        await writeAudit(tx, {
          actorId: ctx.user.id,
          action: 'subscription.cancel',
          targetUserId: target.id,
          note: input.note || undefined,
          details: { email: target.email, monthlyUnits: sub.monthlyUnits, endsAt: sub.periodEnd.toISOString() },
        });
        return { endsAt: sub.periodEnd };
      }),
    );
  }),

  /* ---------------------------------------------------------------- reports */

  audit: adminProcedure
    .input(
      z
        .object({ limit: z.number().int().min(1).max(500).default(100), beforeId: z.number().int().optional(), targetUserId: z.uuid().optional() })
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => listAuditView(ctx.db, input)),

  usage: adminProcedure
    .input(z.object({ days: z.number().int().min(1).max(366).default(30) }).default({ days: 30 }))
    .query(async ({ ctx, input }) => {
      const until = new Date();
      const since = new Date(until.getTime() - (input.days - 1) * 86_400_000);
      return usageOverview(ctx.db, { since, until, topUsers: 10, failures: 20 });
    }),

  improvements: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(async ({ ctx, input }) => listImprovementImages(ctx.db, { limit: input.limit })),

  helpFeedback: adminProcedure.query(async ({ ctx }) => helpFeedbackCounts(ctx.db)),
});
