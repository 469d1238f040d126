'use client';
/**
 * Team credits spent per day, one stacked series per member (the shared day chart). Rows come as
 * `{ day, [userId]: units }`; the chart shows credits.
 */
import type { MemberDay } from '~/server/teams/usage-days';
import { StackedBarChart, type DayRow } from '../dashboard/StackedBarChart';

const COLORS = ['#4f46e5', '#059669', '#d97706', '#c2283b', '#0891b2', '#7c3aed', '#65a30d', '#db2777'];

export function TeamUsageChart({
  days,
  members,
  title = 'Team credits spent per day',
}: {
  days: MemberDay[];
  members: { userId: string; email: string }[];
  title?: string;
}) {
  const rows: DayRow[] = days.map((d) => {
    const row: DayRow = { day: d.day };
    for (const m of members) row[m.userId] = (d.byMember[m.userId] ?? 0) / 4;
    return row;
  });
  return (
    <StackedBarChart
      title={title}
      rows={rows}
      series={members.map((m, i) => ({ key: m.userId, label: m.email, color: COLORS[i % COLORS.length]! }))}
      valueLabel={(v) => `${v} credits`}
      emptyText="No team credits spent in this period."
    />
  );
}
