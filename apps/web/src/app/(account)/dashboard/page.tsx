import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { BalanceCard } from '~/components/dashboard/BalanceCard';
import { ExpiriesCard, PlanCard } from '~/components/dashboard/PlanCard';
import { UsageChart } from '~/components/dashboard/UsageChart';
import { UsageTable } from '~/components/dashboard/UsageTable';
import { TeamNotices } from '~/components/team/TeamNotices';
import { serverCaller } from '~/trpc/server';
import styles from '~/components/dashboard/account.module.css';

export const metadata: Metadata = { title: 'Dashboard' };
export const dynamic = 'force-dynamic';

export default async function DashboardPage() {
  const { caller, user } = await serverCaller();
  if (!user) redirect('/signin?callbackUrl=/dashboard');
  const [summary, usage, notices] = await Promise.all([
    caller.dashboard.summary(),
    caller.dashboard.usage({ days: 30 }),
    caller.team.notices(),
  ]);

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1>Dashboard</h1>
        <p className={styles.lead}>
          Signed in as {user.name ? `${user.name} (${user.email})` : user.email}. Previews are free; an HD download
          costs 1 credit. <Link href="/help">How credits work</Link>
        </p>
      </header>

      <TeamNotices notices={notices} />

      <BalanceCard balance={summary.balance} team={summary.team} />

      <div className={styles.grid2}>
        <PlanCard subscription={summary.subscription} />
        <ExpiriesCard nextExpiries={summary.nextExpiries} />
      </div>

      <section className={styles.card} aria-label="Usage over time">
        <UsageChart rows={usage.byDay} />
      </section>

      <section className={styles.card} aria-labelledby="history-title">
        <div className={styles.cardHeader}>
          <h2 id="history-title">Usage history</h2>
          {usage.events.length > 0 ? (
            <span className={styles.muted}>
              {usage.events.length === usage.limit
                ? `Latest ${usage.limit}`
                : `${usage.events.length} ${usage.events.length === 1 ? 'event' : 'events'}`}
            </span>
          ) : null}
        </div>
        <UsageTable events={usage.events} />
      </section>
    </div>
  );
}
