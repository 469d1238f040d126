/**
 * The one value the browser code needs from the environment. Next.js replaces
 * `process.env.NODE_ENV` in client bundles at build time; nothing else is exposed to the browser.
 */
export const clientEnv = {
  /** `next dev`: tRPC errors are logged in the browser console. */
  development: process.env.NODE_ENV === 'development',
} as const;
