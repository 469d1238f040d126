'use client';
/**
 * A stacked bar chart over days (recharts), shared by the dashboard and the admin usage overview.
 * Rows are `{ day: 'YYYY-MM-DD', <series key>: number }`; missing days are drawn as empty bars
 * so the time axis is even.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import styles from './charts.module.css';

export type ChartSeries = { key: string; label: string; color: string };
export type DayRow = { day: string } & Record<string, number | string>;

export function StackedBarChart({
  title,
  rows,
  series,
  valueLabel,
  emptyText = 'Nothing yet in this period.',
  height = 260,
}: {
  title: string;
  rows: DayRow[];
  series: ChartSeries[];
  valueLabel?: (value: number) => string;
  emptyText?: string;
  height?: number;
}) {
  const hasData = rows.some((r) => series.some((s) => Number(r[s.key] ?? 0) > 0));
  return (
    <figure className={styles.figure} aria-label={title}>
      <figcaption className={styles.caption}>{title}</figcaption>
      {hasData ? (
        <div className={styles.plot} style={{ height }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--chart-grid, #e5e7eb)" />
              <XAxis dataKey="day" tickFormatter={shortDay} tick={{ fontSize: 12 }} minTickGap={12} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
              <Tooltip
                labelFormatter={(d) => longDay(String(d))}
                formatter={(v, name) => [valueLabel ? valueLabel(Number(v)) : String(v), name]}
              />
              {/* In the order the series are given (recharts sorts by name otherwise). */}
              <Legend wrapperStyle={{ fontSize: 13 }} itemSorter={null} />
              {series.map((s) => (
                <Bar key={s.key} dataKey={s.key} name={s.label} stackId="a" fill={s.color} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <p className={styles.empty}>{emptyText}</p>
      )}
    </figure>
  );
}

function shortDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime())
    ? day
    : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

function longDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime())
    ? day
    : d.toLocaleDateString('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      });
}
