import type { Metadata } from 'next';
import Link from 'next/link';
import { HELP_TOPICS } from '~/components/dashboard/help-topics';
import { HelpFeedback } from '~/components/dashboard/HelpFeedback';
import styles from '~/components/dashboard/account.module.css';
import { currentUser } from '~/server/session-user';
import { env } from '~/env';

export const metadata: Metadata = { title: 'Help — credits and pricing' };

export const dynamic = 'force-dynamic';

export default async function HelpPage() {
  // Answers are counted per signed-in person; visitors read the same text without the buttons.
  const signedIn = Boolean(await currentUser());
  const holdMinutes = String(Math.round(env().db.holdTimeoutMs / 60_000));
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1>How credits work</h1>
        <p className={styles.lead}>
          Previews are free. You only spend credits when you download a result in full resolution or call the API. Your{' '}
          <Link href="/dashboard">dashboard</Link> shows what you have and when it expires.
        </p>
        <nav className={styles.toc} aria-label="Topics on this page">
          {HELP_TOPICS.map((t) => (
            <a key={t.id} href={`#${t.id}`}>
              {t.title}
            </a>
          ))}
        </nav>
      </header>

      {HELP_TOPICS.map((topic) => (
        <section key={topic.id} id={topic.id} className={styles.card} aria-labelledby={`${topic.id}-title`}>
          <h2 id={`${topic.id}-title`}>{topic.title}</h2>
          {topic.paragraphs.map((p) => (
            <p key={p}>{p.replace('{holdMinutes}', holdMinutes)}</p>
          ))}
          {topic.prices ? (
            <div className={styles.tableWrap}>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col">Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {topic.prices.map(([what, cost]) => (
                    <tr key={what}>
                      <td>{what}</td>
                      <td>{cost}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {signedIn ? <HelpFeedback topic={topic.id} /> : null}
        </section>
      ))}
    </div>
  );
}
