/**
 * Which usage channel an API call counts under. Calls from our command-line client `bgr` (its
 * User-Agent starts with `bgr/<version>`) are "apps", like remove.bg's desktop app and CLI;
 * every other API client is "api". The channel only labels usage: prices are the API's either way.
 */
export type ApiChannel = 'api' | 'apps';

const APP_USER_AGENT = /^bgr\/\d/i;

export function apiChannel(req: Request): ApiChannel {
  return APP_USER_AGENT.test(req.headers.get('user-agent')?.trim() ?? '') ? 'apps' : 'api';
}
