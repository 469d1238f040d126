/** The usage channel of an API call: our `bgr` client counts as "apps", every other client as "api". */
import { describe, expect, it } from 'vitest';
import { apiChannel } from '../../src/server/removebg/channel';

const call = (userAgent?: string) =>
  new Request(
    'http://localhost/v1.0/removebg',
    userAgent === undefined ? {} : { headers: { 'User-Agent': userAgent } },
  );

describe('apiChannel', () => {
  it('counts the bgr command-line client as apps', () => {
    expect(apiChannel(call('bgr/0.1.0 (node 20.20.2; linux)'))).toBe('apps');
    expect(apiChannel(call('bgr/1.2.3'))).toBe('apps');
  });

  it('counts every other client as api', () => {
    expect(apiChannel(call())).toBe('api');
    expect(apiChannel(call('node-fetch'))).toBe('api');
    expect(apiChannel(call('remove.bg/1.3.0'))).toBe('api');
    expect(apiChannel(call('curl/8.5.0 bgr/0.1.0'))).toBe('api');
    expect(apiChannel(call('bgr-scraper'))).toBe('api');
  });
});
