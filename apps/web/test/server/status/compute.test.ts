/** The status rule: down, degraded and operational at their edges; the error rate's window rules. */
import { describe, expect, it } from 'vitest';
import { computeStatus, ERROR_RATE_THRESHOLD, errorRate, type StatusInputs } from '~/server/status/compute';

const healthy: StatusInputs = {
  database: true,
  storage: true,
  inference: { ready: 3, total: 3 },
  renders: { requests: 200, errors: 0 },
};
const withRenders = (requests: number, errors: number) => ({ ...healthy, renders: { requests, errors } });

describe('computeStatus', () => {
  it('is operational when every part is up and renders succeed', () => {
    expect(computeStatus(healthy)).toBe('operational');
  });

  it('is down when no replica is ready, or the database or storage is down, whatever else holds', () => {
    expect(computeStatus({ ...healthy, inference: { ready: 0, total: 3 } })).toBe('down');
    expect(computeStatus({ ...healthy, inference: { ready: 0, total: 0 } })).toBe('down');
    expect(computeStatus({ ...healthy, database: false })).toBe('down');
    expect(computeStatus({ ...healthy, storage: false })).toBe('down');
    expect(computeStatus({ ...withRenders(10, 10), database: false, inference: { ready: 1, total: 3 } })).toBe('down');
  });

  it('is degraded when some replicas are not ready', () => {
    expect(computeStatus({ ...healthy, inference: { ready: 2, total: 3 } })).toBe('degraded');
    expect(computeStatus({ ...healthy, inference: { ready: 1, total: 2 } })).toBe('degraded');
  });

  it('is degraded above 5 % of renders answered 5xx, not at exactly 5 %', () => {
    expect(ERROR_RATE_THRESHOLD).toBe(0.05);
    expect(computeStatus(withRenders(100, 5))).toBe('operational');
    expect(computeStatus(withRenders(100, 6))).toBe('degraded');
    expect(computeStatus(withRenders(1000, 51))).toBe('degraded');
    expect(computeStatus(withRenders(1, 1))).toBe('degraded');
  });

  it('counts no renders as 0 %', () => {
    expect(errorRate({ requests: 0, errors: 0 })).toBe(0);
    expect(computeStatus(withRenders(0, 0))).toBe('operational');
    expect(errorRate({ requests: 8, errors: 2 })).toBe(0.25);
  });
});
