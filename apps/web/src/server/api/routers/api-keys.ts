/** The signed-in user's API keys: the plaintext key is returned once, by `create`, and never stored. */
import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import { ApiKeyLimitError, createApiKey, listApiKeys, revokeApiKey } from '@bgr/db/queries/api-keys';
import { createTRPCRouter, protectedProcedure } from '../trpc';

export const apiKeysRouter = createTRPCRouter({
  list: protectedProcedure.query(async ({ ctx }) => {
    const keys = await listApiKeys(ctx.db, ctx.user.id);
    return keys.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt ?? null,
      revokedAt: k.revokedAt ?? null,
    }));
  }),

  create: protectedProcedure
    .input(
      z.object({
        name: z
          .string()
          .trim()
          .min(1, 'Please give the key a name.')
          .max(80, 'Please use a shorter name (80 characters at most).'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      try {
        const { id, key } = await createApiKey(ctx.db, { userId: ctx.user.id, name: input.name });
        return { id, key, name: input.name };
      } catch (err) {
        if (err instanceof ApiKeyLimitError) throw new AppError('api_key_limit', err.message, 400);
        throw err;
      }
    }),

  revoke: protectedProcedure
    .input(z.object({ id: z.uuid('That API key does not exist.') }))
    .mutation(async ({ ctx, input }) => {
      // Scoped to the caller: someone else's key id is "not found", not revoked.
      const revoked = await revokeApiKey(ctx.db, { id: input.id, userId: ctx.user.id });
      if (!revoked) throw new AppError('not_found', 'That API key does not exist.', 404);
      return { ok: true as const };
    }),
});
