/** Next.js calls register() once per server process at start-up. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // First the configuration: a bad value stops the server here, in one sentence naming the variable.
  const { checkEnvAtStart } = await import('./env');
  checkEnvAtStart();
  // Before the first request: the client address rests on the socket peer (client-address.ts).
  const { installPeerAddress } = await import('./server/peer-address');
  installPeerAddress();
  // One JSON log line and a request id per request; the metrics registry before the first charge.
  const { installRequestLog } = await import('./server/logging/request-log');
  installRequestLog();
  const { webMetrics } = await import('./server/metrics/registry');
  webMetrics();
  const { startScheduler } = await import('./server/scheduler');
  startScheduler();
  const { startStatusRecorder } = await import('./server/status/recorder');
  startStatusRecorder();
}
