// The inference service's entry point: `tsx apps/inference/src/server/main.ts`.
// Verifies the model files, loads the model once, serves until SIGTERM/SIGINT, then finishes the
// renders in flight and exits.
// Shared with the root scripts (plain ESM).
import { verifyModels } from '../../../../scripts/lib/models.mjs';
import { MaskCache } from '../cache/mask-cache.ts';
import { BUILT_IN_MODELS, loadRegistry, modelPath, selectModel } from '../model/registry.ts';
import { ModelSession } from '../model/session.ts';
import { setImageThreads } from '../pipeline/image-threads.ts';
import { Pipeline } from '../pipeline/render.ts';
import { readConfig } from './config.ts';
import { createLogger } from './log.ts';
import { createInferenceService } from './service.ts';

const log = (line: string) => console.error(`inference: ${line}`);

async function main() {
  const config = readConfig();
  const registry = loadRegistry(config.modelsFile);
  const modelConfig = selectModel(registry, config.model);
  // The built-in IS-Net files are checked against models/manifest.json; a corrupt file is refused.
  if (BUILT_IN_MODELS.some((m) => m.name === modelConfig.name && m.file === modelConfig.file)) {
    const check = (await verifyModels({ dir: config.modelsDir, quick: config.skipModelHash })) as {
      ok: boolean;
      reason?: string;
    };
    if (!check.ok) throw new Error(check.reason);
  }
  const model = await ModelSession.load(modelConfig, {
    device: config.device,
    threads: config.threads,
    modelsDir: config.modelsDir,
  });
  const imageThreads = setImageThreads(config.imageThreads);
  const pipeline = new Pipeline(model, new MaskCache(config.maskCacheBytes), {}, config.concurrency);
  // Request lines as JSON on stdout (LOG_LEVEL); these human-readable start and stop lines stay on stderr.
  const service = createInferenceService(pipeline, config, { log: createLogger(config.logLevel) });
  if (!config.secret)
    log('INFERENCE_SECRET is not set: the render endpoint needs no secret and listens on loopback only.');
  await new Promise<void>((resolve, reject) => {
    service.server.once('error', reject);
    service.server.listen(config.port, config.host, () => resolve());
  });
  // INFERENCE_PORT=0 takes any free port; the line names the one bound (tests read it from here).
  const address = service.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log(
    `listening on http://${config.host}:${port} (model ${modelConfig.name} from ${modelPath(modelConfig, config.modelsDir)}, provider ${model.info.provider}, image threads ${imageThreads}, concurrency ${config.concurrency}, queue ${config.queue}).`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing ${service.active} render(s) in flight (at most 30 s), then exiting.`);
    await service.drain();
    await model.release();
    log('stopped.');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
