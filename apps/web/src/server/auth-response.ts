/**
 * HTTP status for a throttled password sign-in. next-auth answers every refused credentials
 * sign-in with 401 and the error code in the returned URL (`?error=SignInThrottled`, from the
 * error authorize() throws); the sign-in form reads that code. For HTTP clients the same answer
 * becomes 429 with Retry-After, body unchanged, so the form keeps working.
 */
import { SIGN_IN_THROTTLED } from '~/lib/sign-in-messages';
import { SIGNIN_WINDOW_MS } from './signin-throttle';

export async function throttledAsTooMany(response: Response): Promise<Response> {
  if (response.status !== 401 || !response.headers.get('content-type')?.includes('application/json')) return response;
  const text = await response.clone().text();
  let code: string | null = null;
  try {
    const url = (JSON.parse(text) as { url?: unknown }).url;
    if (typeof url === 'string') code = new URL(url, 'http://local.invalid').searchParams.get('error');
  } catch {
    return response;
  }
  if (code !== SIGN_IN_THROTTLED) return response;
  const headers = new Headers(response.headers);
  headers.set('Retry-After', String(Math.ceil(SIGNIN_WINDOW_MS / 1000)));
  return new Response(text, { status: 429, headers });
}
