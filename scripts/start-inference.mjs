#!/usr/bin/env node
// `npm run -s start:inference`: only the inference service, in the foreground of this process (npm
// runs `node --import tsx scripts/start-inference.mjs`; the service runs in this same process, no
// child), so stopping npm stops it. Settings: INFERENCE_PORT, INFERENCE_HOST, INFERENCE_SECRET and
// the rest of apps/inference/src/server/config.ts. It never fetches or builds anything: without the
// model files it stops with a sentence naming `npm run -s build`. On SIGTERM the service answers
// /readyz 503 at once, finishes its renders in flight (at most 30 s) and exits.
import { verifyModels } from './lib/models.mjs';

const check = await verifyModels({ quick: true });
if (!check.ok) {
  console.error(
    `start:inference: ${check.missing ? 'The model files are missing' : check.reason} — run \`npm run -s build\` first.`,
  );
  process.exit(1);
}
await import('../apps/inference/src/server/main.ts');
