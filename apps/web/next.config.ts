import type { NextConfig } from 'next';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const config: NextConfig = {
  // Several builds may coexist on one machine (tests, other engineers): each picks its own folder.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // A self-contained server (server.js + the traced node_modules it needs) for the Docker image;
  // `next start` serves the same build on a development machine.
  output: 'standalone',
  reactStrictMode: true,
  poweredByHeader: false,
  // Internal packages ship TypeScript source.
  transpilePackages: ['@bgr/ui', '@bgr/db', '@bgr/credits', '@bgr/inference-client', '@bgr/storage', '@bgr/strokes'],
  // Native / wasm modules must be loaded by Node at runtime, not bundled (@node-rs/argon2 is on Next's own list).
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'sharp', 'onnxruntime-node'],
  turbopack: { root: repoRoot },
  // Types are checked by `npm run typecheck` (turbo, every workspace, tests included); repeating
  // it inside `next build` would add minutes on a 2-core machine to every first start.
  typescript: { ignoreBuildErrors: true },
  outputFileTracingRoot: repoRoot,
  experimental: {
    // There is no proxy.ts today; should one be added, uploads (22 MB + multipart overhead)
    // must still reach route handlers whole.
    proxyClientMaxBodySize: '30mb',
    serverActions: { bodySizeLimit: '30mb' },
  },
};

export default config;
