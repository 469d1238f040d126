/**
 * Where to send someone after signing in: only a path on this site, never another origin.
 *
 * Why a URL parser and not a prefix check: browsers read `/\evil.example` as `//evil.example`
 * (another host), ignore tabs and newlines inside URLs, and resolve dot segments, so a string that
 * starts with one `/` can still leave the site. The candidate is resolved against our origin the
 * way a browser would; anything that lands elsewhere, or whose path would again start with `//`
 * or contain a backslash, becomes `/`.
 */
const PLACEHOLDER_ORIGIN = 'http://local.invalid';

/** A same-origin path (`/…`, with its query and fragment) for `raw`, else `/`. */
export function localPath(raw: unknown, origin: string = PLACEHOLDER_ORIGIN): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return '/';
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return '/';
  }
  if (url.origin !== base.origin || url.username || url.password) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return '/';
  return path;
}
