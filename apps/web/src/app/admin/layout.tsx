import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '~/server/session-user';
import { AdminNav } from '~/components/admin/AdminNav';
import styles from '~/components/admin/admin.module.css';
import account from '~/components/dashboard/account.module.css';

export const metadata: Metadata = { title: { default: 'Admin', template: '%s · Admin' } };
export const dynamic = 'force-dynamic';

/**
 * The console's gate for pages. It only decides what to render: every admin procedure and the
 * export route check the role again on the server, so a page reached some other way shows nothing.
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect('/signin?callbackUrl=/admin');
  if (user.role !== 'admin') {
    return (
      <section className={`${account.card} ${styles.refused}`} data-testid="admin-refused">
        <h1>Administrators only</h1>
        <p className={account.muted}>
          Your account ({user.email}) does not have access to the admin console. If you need it, ask an administrator to
          promote you.
        </p>
        <Link href="/dashboard">Go to your dashboard</Link>
      </section>
    );
  }
  return (
    <div className={styles.shell}>
      <div className={styles.top}>
        <h1>Admin console</h1>
      </div>
      <AdminNav />
      {children}
    </div>
  );
}
