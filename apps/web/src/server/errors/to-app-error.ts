/**
 * Anything thrown by the inference client, the URL fetcher or our own code, as an AppError with a
 * sentence a person can act on. Never shows a stack trace or an internal message.
 */
import { AppError } from './app-error';
import { FILE_TOO_LARGE_SENTENCE } from '~/lib/upload-limit';

const SENTENCES: Record<string, string> = {
  file_too_large: FILE_TOO_LARGE_SENTENCE,
  resolution_too_high: 'That image has more than 50 megapixels. Please choose a smaller image.',
  invalid_file_type: 'Only JPEG, PNG and WebP images are supported.',
  failed_to_read_image: 'The image could not be read. The file may be damaged or incomplete.',
  failed_image_download: 'The image at that address could not be downloaded.',
  invalid_image_url: 'Please enter a full web address starting with http:// or https://.',
  missing_source: 'Please choose an image first.',
  service_unavailable: 'The background remover is busy or starting up. Please try again in a minute.',
  timeout: 'Processing took too long. Please try again.',
};

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: unknown; status?: unknown; detail?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : 'internal';
  const status =
    typeof e?.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : code in SENTENCES ? 400 : 500;
  let sentence = SENTENCES[code];
  if (code === 'failed_image_download' && typeof e?.detail === 'string' && e.detail) {
    sentence = `The image at that address could not be downloaded. ${e.detail.replace(/\.?$/, '.')}`;
  }
  if (!sentence) {
    sentence =
      status >= 500 || code === 'internal'
        ? 'Something went wrong while processing the image. Please try again.'
        : typeof e?.message === 'string' && e.message && !e.message.includes('\n')
          ? e.message
          : 'The image could not be processed.';
  }
  return new AppError(code, sentence, code === 'service_unavailable' || code === 'timeout' ? 503 : status);
}
