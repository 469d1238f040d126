// Peak resident set size over an interval, sampled every 10 ms (process.resourceUsage().maxRSS is
// a lifetime peak and cannot be reset between sizes).
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | null = null;

  /** Starts (or resumes after pause) sampling; the peak accumulates until stop. */
  start(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    this.timer = setInterval(() => {
      const r = process.memoryUsage.rss();
      if (r > this.peak) this.peak = r;
    }, 10);
    this.timer.unref();
  }

  /** Stops sampling for a while (e.g. while another process works); keeps the peak so far. */
  pause(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops sampling; returns the peak in bytes. */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return Math.max(this.peak, process.memoryUsage.rss());
  }
}
