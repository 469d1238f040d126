/**
 * The public status in sentences (the /status page): what the state means for people, and each
 * part in its own sentence. No host names or addresses, only counts.
 */
import type { ServiceStatus } from '~/server/status/compute';

export const HEADLINES: Record<ServiceStatus, { title: string; body: string }> = {
  operational: {
    title: 'All systems operational',
    body: 'Uploads, previews, downloads and the API are working normally.',
  },
  degraded: {
    title: 'Degraded performance',
    body: 'The service is working, but cut-outs may be slower than usual or fail now and then. Trying again usually helps.',
  },
  down: {
    title: 'Service down',
    body: 'Cut-outs cannot be made right now. Please try again later; this page shows when the service is back.',
  },
};

export function describeDatabase(up: boolean): string {
  return up
    ? 'The database is answering: sign-in, credits and your images are available.'
    : 'The database is not answering: signing in, credits and your images are unavailable.';
}

export function describeStorage(up: boolean): string {
  return up
    ? 'File storage is working: uploads and downloads are stored and served.'
    : 'File storage is not answering: uploads and downloads do not work.';
}

export function describeInference(ready: number, total: number): string {
  const servers = (n: number) => `${n} cut-out server${n === 1 ? '' : 's'}`;
  if (total === 0) return 'No cut-out servers are configured.';
  if (ready === total) return total === 1 ? 'The cut-out server is ready.' : `All ${servers(total)} are ready.`;
  if (ready === 0) return total === 1 ? 'The cut-out server is not ready.' : `None of the ${servers(total)} is ready.`;
  return `${ready} of ${servers(total)} ${ready === 1 ? 'is' : 'are'} ready; cut-outs go to the ready ones and may be slower.`;
}

/** The error-rate sentence, or null when the rate is within the threshold. */
export function describeErrors(rate: number, threshold: number): string | null {
  if (rate <= threshold) return null;
  return `${Math.round(rate * 100)} % of cut-outs in the last five minutes failed on our side (the limit for normal operation is ${Math.round(threshold * 100)} %).`;
}

const WORDS: Record<ServiceStatus | 'none', string> = {
  operational: 'operational',
  degraded: 'degraded',
  down: 'down',
  none: 'no checks recorded',
};

/** One bar's accessible label: "13:00–14:00 UTC: degraded at worst (60 checks)". */
export function describeHour(hour: Date, worst: ServiceStatus | null, checks: number): string {
  const hh = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:00`;
  const end = new Date(hour.getTime() + 3_600_000);
  const what = worst === null ? WORDS.none : worst === 'operational' ? 'operational' : `${WORDS[worst]} at worst`;
  return `${hh(hour)}–${hh(end)} UTC: ${what}${checks ? ` (${checks} check${checks === 1 ? '' : 's'})` : ''}`;
}
