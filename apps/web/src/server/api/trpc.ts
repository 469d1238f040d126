/**
 * tRPC setup (the create-t3-turbo layout).
 *
 * 1. CONTEXT        — what every procedure receives (database, session, the signed-in user).
 * 2. INITIALISATION — the tRPC instance with superjson and readable zod errors.
 * 3. PROCEDURES     — public / protected / admin building blocks routers use.
 *
 * Roles and the disabled flag are read from the database on every request: a JWT issued before
 * an admin disabled or demoted someone must not keep working.
 */
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { Session } from 'next-auth';
import type { Db } from '@bgr/db/client';
import { getDb } from '@bgr/db/client';
import { getUser } from '@bgr/db/queries/users';
import { env } from '~/env';
import { AppError } from '../errors/app-error';
import { toTrpcError } from '../errors/trpc';
import { noteUser } from '../logging/context';

/* ----------------------------------------------------------------------------------------------
 * 1. CONTEXT
 * -------------------------------------------------------------------------------------------- */

export type ContextUser = {
  id: string;
  email: string;
  name: string | null;
  role: 'user' | 'admin';
};

/** A user row as procedures see it (the role column is typed 'user' | 'admin' by the schema). */
export function toContextUser(row: Pick<ContextUser, 'id' | 'email' | 'role'> & { name?: string | null }): ContextUser {
  return { id: row.id, email: row.email, name: row.name ?? null, role: row.role };
}

export type CreateContextOptions = {
  headers: Headers;
  /** The next-auth session (null when signed out). The route handler passes getServerAuthSession(). */
  session: Session | null;
  /** Tests pass their own database; the app uses the process-wide one. */
  db?: Db;
};

export async function createTRPCContext(opts: CreateContextOptions) {
  const db = opts.db ?? (await getDb());
  let user: ContextUser | null = null;
  const sessionUserId = opts.session?.user?.id;
  if (sessionUserId) {
    const row = await getUser(db, sessionUserId);
    if (row && !row.disabled) {
      user = toContextUser(row);
      noteUser(row.id);
    }
  }
  return { db, headers: opts.headers, session: opts.session, user };
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

/* ----------------------------------------------------------------------------------------------
 * 2. INITIALISATION
 * -------------------------------------------------------------------------------------------- */

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    data: {
      ...shape.data,
      // Field errors for forms; never a stack trace in production.
      zodError: error.cause instanceof ZodError ? error.cause.issues.map((i) => i.message) : null,
      stack: env().production ? undefined : shape.data.stack,
    },
  }),
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;
export const middleware = t.middleware;

/* ----------------------------------------------------------------------------------------------
 * 3. PROCEDURES
 * -------------------------------------------------------------------------------------------- */

/**
 * Every procedure's outermost step: whatever it threw becomes its tRPC error here, once
 * (AppError and @bgr/db's refusals keep their sentence; their status picks the tRPC code).
 */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  // A thrown non-tRPC error reaches here wrapped as INTERNAL_SERVER_ERROR, the original as its cause.
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
    const mapped = toTrpcError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(appErrors);

/** Refuses anonymous callers (and disabled accounts, whose ctx.user is null). */
const requireUser = t.middleware(({ ctx, next }) => {
  if (!ctx.user) {
    throw new AppError('unauthorized', 'Please sign in to continue.', 401);
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Refuses everyone but admins. Checked here on the server, whatever the UI shows. */
const requireAdmin = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw new AppError('unauthorized', 'Please sign in to continue.', 401);
  if (ctx.user.role !== 'admin') {
    throw new AppError('forbidden', 'Only administrators can do this.', 403);
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** A signed-in, enabled user. `ctx.user` is non-null inside. */
export const protectedProcedure = publicProcedure.use(requireUser);

/** A signed-in, enabled admin. */
export const adminProcedure = protectedProcedure.use(requireAdmin);

/**
 * The guard middlewares themselves, so a test can walk the router and tell, for every procedure,
 * which guard it carries (see test/routers/access.test.ts).
 */
export const guardMiddlewares = {
  requireUser: requireUser._middlewares[0]!,
  requireAdmin: requireAdmin._middlewares[0]!,
};
