// Progress while a batch runs: on a terminal, one redrawn line with a bar, the count, the rate and
// an ETA; elsewhere (pipes, CI logs) plain lines, one per file.

/** @param {number} seconds */
function duration(seconds) {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class Progress {
  /**
   * @param {{ total: number, bar: NodeJS.WriteStream | null, lines: ((line: string) => void) | null }} options
   *   bar: the terminal to draw on (null: no bar); lines: where per-file lines go (null: nowhere)
   */
  constructor({ total, bar, lines }) {
    this.total = total;
    this.done = 0;
    this.bar = bar;
    this.lines = lines;
    this.started = Date.now();
    /** @type {NodeJS.Timeout | undefined} */
    this.timer = undefined;
  }

  start() {
    if (!this.bar) return;
    this.draw();
    this.timer = setInterval(() => this.draw(), 1000);
    this.timer.unref();
  }

  /** One file finished (processed, skipped or failed). @param {string} line */
  tick(line) {
    this.done++;
    this.log(line);
  }

  /** @param {string} line */
  log(line) {
    if (this.bar) this.bar.write('\r\x1b[K');
    this.lines?.(line);
    if (this.bar) this.draw();
  }

  draw() {
    if (!this.bar) return;
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    const eta = rate > 0 ? (this.total - this.done) / rate : Number.POSITIVE_INFINITY;
    const width = 24;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    this.bar.write(`\r\x1b[K[${bar}] ${this.done}/${this.total}  ${rate.toFixed(1)} images/s  ETA ${duration(eta)}`);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    if (this.bar) this.bar.write('\r\x1b[K');
  }
}
