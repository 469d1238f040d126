/**
 * Bulk upload limits and names shared by the server (the ZIP route) and the browser (the queue),
 * in one place so the two never disagree.
 */

/** The most images one bulk upload (batch) or one "Download all in HD" ZIP holds. */
export const MAX_BATCH_IMAGES = 50;

/** The ZIP entry that lists the images left out, one `name: reason` line each. */
export const FAILED_ENTRY = 'failed.txt';
