/** The admin System page's one read: the fleet, the backends, the scheduler and stale holds (server/status/system.ts). */
import { systemOverview } from '../../status/system';
import { adminProcedure, createTRPCRouter } from '../trpc';

export const systemRouter = createTRPCRouter({
  overview: adminProcedure.query(({ ctx }) => systemOverview(ctx.db)),
});
