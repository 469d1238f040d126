/**
 * The app's tRPC router: one thin router per area, each in its own file under ./routers.
 * To add one: create routers/<name>.ts exporting `<name>Router` and add one line below.
 */
import { createCallerFactory, createTRPCRouter } from './trpc';
import { accountRouter } from './routers/account';
import { imagesRouter } from './routers/images';
import { dashboardRouter } from './routers/dashboard';
import { apiKeysRouter } from './routers/api-keys';
import { adminRouter } from './routers/admin';
import { helpRouter } from './routers/help';
import { batchesRouter } from './routers/batches';
import { teamRouter } from './routers/team';
import { adminTeamsRouter } from './routers/admin-teams';
import { systemRouter } from './routers/system';

export const appRouter = createTRPCRouter({
  account: accountRouter,
  images: imagesRouter,
  dashboard: dashboardRouter,
  apiKeys: apiKeysRouter,
  admin: adminRouter,
  help: helpRouter,
  batches: batchesRouter,
  team: teamRouter,
  adminTeams: adminTeamsRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP: `createCaller(await createTRPCContext({...}))`. */
export const createCaller = createCallerFactory(appRouter);
