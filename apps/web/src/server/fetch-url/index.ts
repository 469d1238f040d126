/**
 * The SSRF-safe image fetcher (see fetch-image-url.ts for why it is built on node:http). One concept
 * per file: the address policy, the allow-list, resolving a target, one pinned request, the errors.
 */
export { classifyAddress } from './address-policy';
export { parseAllowList } from './allow-list';
export { FetchUrlError, type FetchUrlErrorCode, type FetchUrlFailure } from './errors';
export { type FetchedImage, type FetchImageUrlOptions, fetchImageUrl } from './fetch-image-url';
