import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '~/server/session-user';
import { ApiKeysPanel } from '~/components/dashboard/ApiKeysPanel';
import { CopyButton } from '~/components/dashboard/CopyButton';
import { requestOrigin } from '~/trpc/server';
import styles from '~/components/dashboard/account.module.css';

export const metadata: Metadata = { title: 'API keys' };
export const dynamic = 'force-dynamic';

export default async function KeysPage() {
  const user = await currentUser();
  if (!user) redirect('/signin?callbackUrl=/api-keys');
  const origin = await requestOrigin();
  const base = `${origin}/v1.0`;
  const curl = [
    `curl -H 'X-Api-Key: YOUR_API_KEY' \\`,
    `     -F 'image_file=@photo.jpg' \\`,
    `     -F 'size=auto' \\`,
    `     -o no-bg.png \\`,
    `     ${base}/removebg`,
  ].join('\n');
  const account = `curl -H 'X-Api-Key: YOUR_API_KEY' ${base}/account`;

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1>API keys</h1>
        <p className={styles.lead}>
          The API works like remove.bg&apos;s: existing remove.bg clients only need this server&apos;s address. Calls
          are paid from the same credits as the web app — see <Link href="/help#credits">prices</Link>.
        </p>
      </header>

      <ApiKeysPanel />

      <section className={styles.card} aria-labelledby="api-title">
        <h2 id="api-title">Your API address</h2>
        <div className={styles.actions}>
          <code className={styles.inlineCode} data-testid="api-base-url">
            {base}
          </code>
          <CopyButton text={base} label="Copy address" />
        </div>
        <h3>Remove a background</h3>
        <pre className={styles.code}>{curl}</pre>
        <div className={styles.actions} style={{ marginTop: '0.5rem' }}>
          <CopyButton text={curl} label="Copy example" />
        </div>
        <p className={styles.muted} style={{ marginTop: 12 }}>
          Send <span className={styles.inlineCode}>image_url=https://…</span> instead of a file to process an image on
          the web. <span className={styles.inlineCode}>size=preview</span> costs ¼ credit,{' '}
          <span className={styles.inlineCode}>size=full</span> 1 credit; the cost of each call is in the{' '}
          <span className={styles.inlineCode}>X-Credits-Charged</span> response header.
        </p>
        <h3>Check your balance</h3>
        <pre className={styles.code}>{account}</pre>
      </section>
    </div>
  );
}
