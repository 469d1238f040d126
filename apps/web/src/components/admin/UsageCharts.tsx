'use client';
import type { OverviewDay } from '@bgr/db/queries/reports';
import { StackedBarChart, type DayRow } from '../dashboard/StackedBarChart';

/** Images, credits spent and failures per day across all users (credits arrive as units). */
export function UsageCharts({ days }: { days: OverviewDay[] }) {
  const images: DayRow[] = days.map((d) => ({ day: d.day, web: d.webImages, api: d.apiImages, apps: d.appsImages }));
  const credits: DayRow[] = days.map((d) => ({
    day: d.day,
    web: d.webUnits / 4,
    api: d.apiUnits / 4,
    apps: d.appsUnits / 4,
  }));
  const failures: DayRow[] = days.map((d) => ({ day: d.day, failures: d.failures }));
  return (
    <>
      <StackedBarChart
        title="Images per day"
        rows={images}
        series={[
          { key: 'web', label: 'Web', color: '#4f46e5' },
          { key: 'api', label: 'API', color: '#059669' },
          { key: 'apps', label: 'Apps', color: '#d97706' },
        ]}
        emptyText="No images processed in this period."
      />
      <StackedBarChart
        title="Credits spent per day"
        rows={credits}
        series={[
          { key: 'web', label: 'Web', color: '#4f46e5' },
          { key: 'api', label: 'API', color: '#059669' },
          { key: 'apps', label: 'Apps', color: '#d97706' },
        ]}
        valueLabel={(v) => `${v} credits`}
        emptyText="No credits spent in this period."
      />
      <StackedBarChart
        title="Failures per day"
        rows={failures}
        series={[{ key: 'failures', label: 'Failed requests', color: '#c2283b' }]}
        emptyText="No failures in this period."
      />
    </>
  );
}
