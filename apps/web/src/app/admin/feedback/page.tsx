import Link from 'next/link';
import { serverCaller } from '~/trpc/server';
import { HELP_TOPICS } from '~/components/dashboard/help-topics';
import account from '~/components/dashboard/account.module.css';
import styles from '~/components/admin/admin.module.css';
import { AdminTable } from '~/components/admin/AdminTable';

export const metadata = { title: 'Help feedback' };

export default async function FeedbackPage() {
  const { caller } = await serverCaller();
  const counts = await caller.admin.helpFeedback();
  const byTopic = new Map(counts.map((c) => [c.topic, c]));
  // Every current topic, answered or not, then any retired topic that still has answers.
  const rows = [
    ...HELP_TOPICS.map((t) => ({
      id: t.id,
      title: t.title,
      helpful: byTopic.get(t.id)?.helpful ?? 0,
      notHelpful: byTopic.get(t.id)?.notHelpful ?? 0,
    })),
    ...counts
      .filter((c) => !HELP_TOPICS.some((t) => t.id === c.topic))
      .map((c) => ({ id: c.topic, title: c.topic, helpful: c.helpful, notHelpful: c.notHelpful })),
  ];

  return (
    <section className={account.card} aria-labelledby="fb-title">
      <div className={account.cardHeader}>
        <h2 id="fb-title">Was the help page helpful?</h2>
        <Link href="/help" className={account.small}>
          Open the help page →
        </Link>
      </div>
      <AdminTable
        testId="feedback-table"
        columns={['Topic', { label: 'Yes', num: true }, { label: 'No', num: true }, 'Helpful']}
        items={rows}
        row={(r) => {
          const total = r.helpful + r.notHelpful;
          const pct = total ? Math.round((r.helpful / total) * 100) : null;
          return (
            <tr key={r.id} data-topic={r.id}>
              <td>
                <Link href={`/help#${r.id}`}>{r.title}</Link>
              </td>
              <td className={account.num}>{r.helpful}</td>
              <td className={account.num}>{r.notHelpful}</td>
              <td style={{ minWidth: 140 }}>
                {pct === null ? (
                  <span className={account.muted}>No answers yet</span>
                ) : (
                  <div className={account.actions} style={{ flexWrap: 'nowrap' }}>
                    <div className={styles.bar} style={{ flex: 1 }} aria-hidden="true">
                      <span style={{ width: `${pct}%`, background: 'var(--success)' }} />
                    </div>
                    <span className={account.small}>{pct}%</span>
                  </div>
                )}
              </td>
            </tr>
          );
        }}
      />
    </section>
  );
}
