import { expect, it } from 'vitest';
import { FetchUrlError } from '~/server/fetch-url';
import { AppError as UserError } from '~/server/errors/app-error';
import { toAppError as toUserError } from '~/server/errors/to-app-error';
import { formatCredits } from '@bgr/credits';

it('turns remove.bg codes into sentences with the right status', () => {
  expect(toUserError({ code: 'invalid_file_type', status: 400 })).toMatchObject({
    code: 'invalid_file_type',
    status: 400,
    message: 'Only JPEG, PNG and WebP images are supported.',
  });
  expect(toUserError({ code: 'resolution_too_high', status: 400 }).message).toMatch(/more than 50 megapixels/);
  expect(toUserError({ code: 'service_unavailable', status: 503 })).toMatchObject({
    status: 503,
    message: expect.stringMatching(/try again in a minute/),
  });
});

it('explains refused downloads with the fetcher’s own detail', () => {
  const err = toUserError(
    new FetchUrlError(
      'failed_image_download',
      'refused',
      'The address 10.0.0.1 was refused for safety: it is a private address',
    ),
  );
  expect(err.message).toBe(
    'The image at that address could not be downloaded. The address 10.0.0.1 was refused for safety: it is a private address.',
  );
  expect(err.status).toBe(400);
});

it('never shows a stack trace or an internal message for unexpected errors', () => {
  const err = toUserError(new Error('ECONNRESET at Socket.foo (node:net:123)\n    at bar'));
  expect(err).toMatchObject({
    code: 'internal',
    status: 500,
    message: 'Something went wrong while processing the image. Please try again.',
  });
  const kept = new UserError('gone', 'This preview has been deleted.', 404);
  expect(toUserError(kept)).toBe(kept);
});

it('formats credits as people read them', () => {
  expect(formatCredits(1)).toBe('1 credit');
  expect(formatCredits(0)).toBe('0 credits');
  expect(formatCredits(2.5)).toBe('2.5 credits');
  expect(formatCredits(0.25)).toBe('0.25 credits');
});
