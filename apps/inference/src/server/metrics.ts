// A small Prometheus text-format registry (counters, gauges, histograms with labels); no deps.

type Labels = Record<string, string>;
const key = (labels: Labels) => JSON.stringify(Object.entries(labels).sort());
const fmtLabels = (labels: Labels, extra: Labels = {}) => {
  const all = { ...labels, ...extra };
  const parts = Object.entries(all).map(
    ([k, v]) => `${k}="${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
};

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {}
  abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.lines()].join('\n');
  }
}

export class Counter extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1) {
    const k = key(labels);
    const entry = this.values.get(k) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(k, entry);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels))?.value ?? 0;
  }
  lines() {
    return [...this.values.values()].map((e) => `${this.name}${fmtLabels(e.labels)} ${e.value}`);
  }
}

/** A gauge read from a function at scrape time. */
export class Gauge extends Metric {
  constructor(
    name: string,
    help: string,
    private readonly read: () => number | { labels: Labels; value: number }[],
  ) {
    super(name, help, 'gauge');
  }
  lines() {
    const v = this.read();
    if (typeof v === 'number') return [`${this.name} ${v}`];
    return v.map((e) => `${this.name}${fmtLabels(e.labels)} ${e.value}`);
  }
}

export class Histogram extends Metric {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    name: string,
    help: string,
    readonly buckets: number[],
  ) {
    super(name, help, 'histogram');
  }
  observe(value: number, labels: Labels = {}) {
    const k = key(labels);
    const s = this.series.get(k) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]!++;
    });
    s.sum += value;
    s.count++;
    this.series.set(k, s);
  }
  /** Mean of all observations (for Retry-After estimates). */
  mean(labels: Labels = {}): number | null {
    const s = this.series.get(key(labels));
    return s?.count ? s.sum / s.count : null;
  }
  lines() {
    const out: string[] = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => {
        out.push(`${this.name}_bucket${fmtLabels(s.labels, { le: String(b) })} ${s.counts[i]}`);
      });
      out.push(`${this.name}_bucket${fmtLabels(s.labels, { le: '+Inf' })} ${s.count}`);
      out.push(`${this.name}_sum${fmtLabels(s.labels)} ${s.sum}`);
      out.push(`${this.name}_count${fmtLabels(s.labels)} ${s.count}`);
    }
    return out;
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];
  add<M extends Metric>(m: M): M {
    this.metrics.push(m);
    return m;
  }
  render(): string {
    return `${this.metrics.map((m) => m.render()).join('\n')}\n`;
  }
}
