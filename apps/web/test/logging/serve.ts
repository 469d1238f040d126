/**
 * A real web server process for the request-id test: the request log installed exactly as
 * instrumentation.ts installs it (installRequestLog, which wraps every node:http server's request
 * event), and the same handlers the Next.js route files call, wired from the environment as the
 * route files wire them (getApiDeps → getInference, env().metricsToken). Its stdout is the JSON
 * log. Started by request-id.http.test.ts with `node --import tsx`; prints `READY <port>` on stderr.
 *
 * Environment: DATABASE_URL, STORAGE_DIR, INFERENCE_URLS, INFERENCE_SECRET, METRICS_TOKEN, LOG_LEVEL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { env } from '../../src/env';
import { installRequestLog } from '../../src/server/logging/request-log';
import { handleMetrics } from '../../src/server/metrics/endpoint';
import { webMetrics } from '../../src/server/metrics/registry';
import { getApiDeps, handleAccount, handleRemoveBg } from '../../src/server/removebg';
import { toWebRequest, writeWebResponse } from '../api/support/server';

installRequestLog();
webMetrics();

const routes: Record<string, (req: Request) => Promise<Response>> = {
  '/v1.0/removebg': async (req) => handleRemoveBg(req, await getApiDeps()),
  '/v1.0/account': async (req) => handleAccount(req, await getApiDeps()),
  '/metrics': (req) => handleMetrics(req, env().metricsToken),
};

const server = http.createServer((req, res) => {
  const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
  const route = routes[new URL(req.url ?? '/', origin).pathname];
  if (!route) {
    res.statusCode = 404;
    res.end();
    return;
  }
  route(toWebRequest(req, origin))
    .then((response) => writeWebResponse(res, response))
    .catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
});

server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
