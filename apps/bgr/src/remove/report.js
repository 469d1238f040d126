// The end of a run: the --json document (exactly one, on stdout) or a short human summary with
// each failure's file and the API's sentence, and the credits charged (from X-Credits-Charged).

/**
 * @typedef {object} FileResult
 * @property {string} input
 * @property {string | null} output
 * @property {'processed' | 'skipped' | 'failed'} status
 * @property {number} credits
 * @property {string | null} error
 */

/** @param {FileResult[]} files */
export function summarize(files) {
  const count = (/** @type {FileResult['status']} */ status) => files.filter((f) => f.status === status).length;
  return {
    processed: count('processed'),
    skipped: count('skipped'),
    failed: count('failed'),
    creditsCharged: files.reduce((sum, f) => sum + f.credits, 0),
    files,
  };
}

/** @param {number} n */
export function credits(n) {
  return `${n} credit${n === 1 ? '' : 's'}`;
}

/**
 * @param {ReturnType<typeof summarize>} summary
 * @returns {string}
 */
export function summaryText(summary) {
  const lines = [
    `${summary.processed} processed, ${summary.skipped} skipped (output exists), ${summary.failed} failed; ${credits(summary.creditsCharged)} charged.`,
  ];
  const failures = summary.files.filter((f) => f.status === 'failed');
  if (failures.length > 0) {
    lines.push('Failed:');
    for (const f of failures) lines.push(`  ${f.input}: ${f.error}`);
  }
  return lines.join('\n');
}
