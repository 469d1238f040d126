/** Next.js calls register() once per server process at start-up. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startScheduler } = await import('./server/scheduler');
  startScheduler();
}
