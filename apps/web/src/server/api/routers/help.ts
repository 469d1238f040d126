/** "Was this helpful?" answers from the help page, from signed-in people: one vote per person and topic (answering again changes it), counted for admins. */
import { z } from 'zod';
import { recordHelpFeedback } from '@bgr/db/queries/feedback';
import { HELP_TOPICS } from '~/components/dashboard/help-topics';
import { createTRPCRouter, protectedProcedure } from '../trpc';

const topicIds = HELP_TOPICS.map((t) => t.id) as [string, ...string[]];

export const helpRouter = createTRPCRouter({
  feedback: protectedProcedure
    .input(z.object({ topic: z.enum(topicIds), helpful: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await recordHelpFeedback(ctx.db, { topic: input.topic, helpful: input.helpful, userId: ctx.user.id });
      return { ok: true as const };
    }),
});
