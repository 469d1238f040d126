// A mistake in the command line: reported as one sentence and exit code 2, before any request.

export class UsageError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes: 0 all done, 1 some files failed, 2 bad arguments (nothing was sent). */
export const EXIT = { ok: 0, failed: 1, usage: 2 };
