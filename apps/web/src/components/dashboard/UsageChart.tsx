'use client';
import { StackedBarChart, type DayRow } from './StackedBarChart';

/** Images per day split by what they were (preview vs HD) and where they came from (web, API, or apps such as the bgr command line). */
export function UsageChart({ rows }: { rows: DayRow[] }) {
  return (
    <StackedBarChart
      title="Images per day"
      rows={rows}
      series={[
        { key: 'webPreview', label: 'Web previews', color: '#818cf8' },
        { key: 'webHd', label: 'Web HD', color: '#4f46e5' },
        { key: 'apiPreview', label: 'API previews', color: '#34d399' },
        { key: 'apiHd', label: 'API full size', color: '#059669' },
        { key: 'appsPreview', label: 'Apps previews', color: '#fbbf24' },
        { key: 'appsHd', label: 'Apps full size', color: '#d97706' },
      ]}
      emptyText="No images in the last 30 days. Previews and downloads will show up here."
    />
  );
}
