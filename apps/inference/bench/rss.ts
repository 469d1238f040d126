// Peak resident set size over an interval, sampled every 10 ms (process.resourceUsage().maxRSS is
// a lifetime peak and cannot be reset between sizes).
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | null = null;

  start(): void {
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => {
      const r = process.memoryUsage.rss();
      if (r > this.peak) this.peak = r;
    }, 10);
    this.timer.unref();
  }

  /** Stops sampling; returns the peak in bytes. */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return Math.max(this.peak, process.memoryUsage.rss());
  }
}
