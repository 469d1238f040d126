/**
 * The one place where errors become tRPC errors: an AppError keeps its sentence and its status
 * picks the tRPC code (and so the HTTP status); the ledger's, the user store's and the teams'
 * refusals (@bgr/db) are AppErrors first. Anything else is left to tRPC (INTERNAL_SERVER_ERROR).
 */
import { TRPCError } from '@trpc/server';
import { LedgerError } from '@bgr/db/queries/ledger';
import { TeamError } from '@bgr/db/queries/teams';
import { UserError as UserStoreError } from '@bgr/db/queries/users';
import { AppError } from './app-error';

type TrpcCode = TRPCError['code'];

const TRPC_CODES: Record<number, TrpcCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  402: 'PAYMENT_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
};

export function trpcCodeFor(status: number): TrpcCode {
  return status >= 500 ? 'INTERNAL_SERVER_ERROR' : (TRPC_CODES[status] ?? 'BAD_REQUEST');
}

/** The ledger's refusals (no plan, plan exists, bad amount, no such user) carry their own sentence. */
function fromLedger(err: LedgerError): AppError {
  const status = err.code === 'user_not_found' ? 404 : err.code === 'subscription_exists' ? 409 : 400;
  return new AppError(err.code, err.message, status);
}

/** The last-admin rule and a vanished user, from the role and disabled-flag changes. */
function fromUserStore(err: UserStoreError): AppError | null {
  if (err.code === 'last_admin') return new AppError(err.code, err.message, 400);
  if (err.code === 'not_admin') return new AppError(err.code, err.message, 403);
  if (err.code === 'not_found') return new AppError(err.code, 'That user does not exist.', 404);
  return null;
}

/** A team owner's refusals (no right to change this): 403, except a person outside their team (404). */
const OWNER_REFUSALS = new Set([
  'not_in_team',
  'not_team_owner',
  'owners_may_not_manage',
  'owner_only_admin',
  'owner_cap_admin_only',
]);

/**
 * The teams' refusals: an unknown team or member 404, a taken name or a second team 409, an owner
 * without the right 403, bad input 400.
 */
function fromTeams(err: TeamError): AppError {
  const status =
    err.code === 'team_not_found' || err.code === 'not_a_member' || err.code === 'not_in_your_team'
      ? 404
      : err.code === 'team_exists' || err.code === 'already_in_team'
        ? 409
        : OWNER_REFUSALS.has(err.code)
          ? 403
          : 400;
  return new AppError(err.code, err.message, status);
}

/**
 * `err` (what a procedure threw) as the TRPCError to answer with, or null when it is not an error
 * we know (tRPC then answers it as INTERNAL_SERVER_ERROR).
 */
export function toTrpcError(err: unknown): TRPCError | null {
  const app =
    err instanceof AppError
      ? err
      : err instanceof LedgerError
        ? fromLedger(err)
        : err instanceof UserStoreError
          ? fromUserStore(err)
          : err instanceof TeamError
            ? fromTeams(err)
            : null;
  return app ? new TRPCError({ code: trpcCodeFor(app.status), message: app.message, cause: err }) : null;
}
