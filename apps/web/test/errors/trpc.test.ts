/**
 * The one mapping from errors to tRPC errors (src/server/errors/trpc.ts): an AppError's status picks
 * the tRPC code and its sentence is kept; @bgr/db's ledger and user-store refusals are mapped the
 * way the admin console always answered them; anything else is left to tRPC.
 */
import { expect, it } from 'vitest';
import { LedgerError } from '@bgr/db/queries/ledger';
import { UserError as UserStoreError } from '@bgr/db/queries/users';
import { AppError } from '~/server/errors/app-error';
import { toTrpcError, trpcCodeFor } from '~/server/errors/trpc';

it('picks the tRPC code from the HTTP status', () => {
  const codes = Object.fromEntries(
    [400, 401, 402, 403, 404, 409, 410, 413, 422, 429, 500, 503, 504].map((s) => [s, trpcCodeFor(s)]),
  );
  expect(codes).toEqual({
    400: 'BAD_REQUEST',
    401: 'UNAUTHORIZED',
    402: 'PAYMENT_REQUIRED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    410: 'BAD_REQUEST',
    413: 'PAYLOAD_TOO_LARGE',
    422: 'BAD_REQUEST',
    429: 'TOO_MANY_REQUESTS',
    500: 'INTERNAL_SERVER_ERROR',
    503: 'INTERNAL_SERVER_ERROR',
    504: 'INTERNAL_SERVER_ERROR',
  });
});

it('keeps an AppError’s sentence and the error itself as the cause', () => {
  const err = new AppError('not_paid', 'Download this image in HD from the home page first.', 402);
  const mapped = toTrpcError(err);
  expect(mapped).toMatchObject({
    code: 'PAYMENT_REQUIRED',
    message: 'Download this image in HD from the home page first.',
  });
  expect(mapped?.cause).toBe(err);
});

it('maps the ledger’s and the user store’s refusals', () => {
  const summary = (e: unknown) => {
    const m = toTrpcError(e);
    return m ? `${m.code}: ${m.message}` : null;
  };
  expect(summary(new LedgerError('user_not_found', 'No such user.'))).toBe('NOT_FOUND: No such user.');
  expect(summary(new LedgerError('subscription_exists', 'Already has one.'))).toBe('CONFLICT: Already has one.');
  expect(summary(new LedgerError('no_subscription', 'No plan.'))).toBe('BAD_REQUEST: No plan.');
  expect(summary(new UserStoreError('last_admin', 'Only admin.'))).toBe('BAD_REQUEST: Only admin.');
  expect(summary(new UserStoreError('not_admin', 'Not an admin.'))).toBe('FORBIDDEN: Not an admin.');
  expect(summary(new UserStoreError('not_found', 'missing row'))).toBe('NOT_FOUND: That user does not exist.');
  // Refusals the routers answer themselves, and unknown errors, are left alone.
  expect(summary(new UserStoreError('email_taken', 'Taken.'))).toBeNull();
  expect(summary(new Error('boom'))).toBeNull();
  expect(summary(null)).toBeNull();
});
