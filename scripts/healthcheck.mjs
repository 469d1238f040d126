#!/usr/bin/env node
// The Docker image's HEALTHCHECK: exits 0 when the process in this container is ready. It asks the
// web server's /readyz on PORT; in a container that runs only the inference service (nothing
// listens on PORT) it asks the inference service's /readyz on INFERENCE_PORT instead.
const host = !process.env.HOST || ['0.0.0.0', '::'].includes(process.env.HOST) ? '127.0.0.1' : process.env.HOST;
const webPort = Number(process.env.PORT || 3000);
const inferencePort = Number(process.env.INFERENCE_PORT || 3001);

async function ready(port) {
  const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/readyz`, {
    signal: AbortSignal.timeout(4000),
  });
  return res.ok;
}

const refused = (err) => err?.cause?.code === 'ECONNREFUSED';

try {
  process.exit((await ready(webPort)) ? 0 : 1);
} catch (err) {
  if (!refused(err)) process.exit(1);
  process.exit((await ready(inferencePort).catch(() => false)) ? 0 : 1);
}
