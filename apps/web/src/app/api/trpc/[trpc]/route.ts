// The tRPC endpoint; behaviour (the 1 MB body cap included) lives in src/server/api/http-handler.ts.
import { handleTrpcRequest } from '~/server/api/http-handler';
import { createTRPCContext } from '~/server/api/trpc';
import { getServerAuthSession } from '~/server/auth';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

async function handler(req: Request) {
  return handleTrpcRequest(req, async () =>
    createTRPCContext({ headers: req.headers, session: await getServerAuthSession() }),
  );
}

export { handler as GET, handler as POST };
