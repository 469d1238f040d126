import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import { balance } from '@bgr/db/queries/ledger';
import { createUser, UserError as DbUserError } from '@bgr/db/queries/users';
import { unitsToCredits } from '@bgr/credits';
import { createTRPCRouter, protectedProcedure, publicProcedure } from '../trpc';
import { env } from '~/env';
import { SIGN_UP_FOLLOW_UP } from '~/lib/sign-in-messages';
import { addressFromHeaders, takeSignUpSlot } from '../../signup-throttle';

export const signUpInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Please enter a valid email address.')),
  password: z.string().min(8, 'Please use at least 8 characters for the password.').max(200),
  name: z.string().trim().max(100).optional(),
});

export const accountRouter = createTRPCRouter({
  /** The signed-in user, or null. */
  me: publicProcedure.query(({ ctx }) => ctx.user),

  /** Which sign-up options the sign-in/sign-up pages should offer. */
  signupMode: publicProcedure.query(() => env().signup),

  /**
   * Self-service sign-up (SIGNUP=open only). The client then signs in with next-auth.
   *
   * The answer never tells whether the address already had an account (same shape, same
   * sentence, same work: the password is hashed either way, and an existing account is left
   * untouched). A new person is then signed in by the form; anyone else is asked to sign in.
   */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    if (env().signup !== 'open') {
      throw new AppError(
        'signup_closed',
        'Sign-up is by invitation only. Please ask an administrator for an account.',
        403,
      );
    }
    // Before the password is hashed: at most SIGNUP_LIMIT_PER_HOUR an hour per client address.
    await takeSignUpSlot(ctx.db, addressFromHeaders(ctx.headers));
    try {
      await createUser(ctx.db, {
        email: input.email,
        password: input.password,
        name: input.name || undefined,
        role: 'user',
      });
    } catch (err) {
      if (!(err instanceof DbUserError)) throw err;
      if (err.code !== 'email_taken') throw new AppError(err.code, err.message, 400);
    }
    return { message: SIGN_UP_FOLLOW_UP };
  }),

  /** Spendable credits right now (held credits excluded), for the header and the HD dialog. */
  balance: protectedProcedure.query(async ({ ctx }) => {
    const b = await balance(ctx.db, { userId: ctx.user.id });
    return { units: b.totalUnits, credits: unitsToCredits(b.totalUnits), heldUnits: b.heldUnits };
  }),
});
