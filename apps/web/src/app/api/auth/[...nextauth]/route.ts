import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { authOptions } from '~/server/auth';
import { throttledAsTooMany } from '~/server/auth-response';
import { BODY_LIMITS, BodyTooLargeError, withLimitedBody } from '~/server/body-limit';

const handler = NextAuth(authOptions);

type Context = { params: Promise<{ nextauth: string[] }> };

async function POST(req: Request, ctx: Context): Promise<Response> {
  // next-auth reads the form itself, uncapped: hand it one already read through body-limit.
  let capped: Request;
  try {
    capped = await withLimitedBody(req, BODY_LIMITS.auth);
  } catch (err) {
    if (err instanceof BodyTooLargeError)
      return Response.json({ error: { code: 'body_too_large', message: err.message } }, { status: 413 });
    throw err;
  }
  return throttledAsTooMany(await handler(new NextRequest(capped), ctx));
}

export { handler as GET, POST };
