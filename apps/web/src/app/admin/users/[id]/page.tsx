import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { BalanceCard } from '~/components/dashboard/BalanceCard';
import { ExpiriesCard } from '~/components/dashboard/PlanCard';
import { serverCaller } from '~/trpc/server';
import { GrantForm } from '~/components/admin/GrantForm';
import { PlanForm } from '~/components/admin/PlanForm';
import { UserActions } from '~/components/admin/UserActions';
import { UserLedgerTables } from '~/components/admin/UserLedgerTables';
import { formatDate } from '~/components/dashboard/format';
import account from '~/components/dashboard/account.module.css';
import styles from '~/components/admin/admin.module.css';

export const metadata = { title: 'User' };

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { caller, user: me } = await serverCaller();
  let data;
  try {
    data = await caller.admin.user({ userId: id });
  } catch (err) {
    if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) notFound();
    throw err;
  }
  const { user } = data;

  return (
    <>
      <p className={account.small}>
        <Link href="/admin">← All users</Link>
      </p>
      <section className={account.card}>
        <div className={styles.userHead}>
          <div>
            <h1 data-testid="admin-user-email">{user.email}</h1>
            <div className={account.actions}>
              {user.name ? <span className={account.muted}>{user.name}</span> : null}
              {user.role === 'admin' ? (
                <span className={account.badge}>Admin</span>
              ) : (
                <span className={account.badgeMuted}>User</span>
              )}
              {user.disabled ? (
                <span className={account.badgeDanger}>Disabled</span>
              ) : (
                <span className={account.badgeOk}>Active</span>
              )}
              <span className={`${account.muted} ${account.small}`}>Joined {formatDate(user.createdAt)}</span>
            </div>
          </div>
          <UserActions user={user} isSelf={me?.id === user.id} />
        </div>
      </section>

      <BalanceCard balance={data.balance} team={data.team} title="Balance" />

      <div className={account.grid2}>
        <GrantForm owner={{ userId: user.id }} />
        <PlanForm owner={{ userId: user.id }} plan={data.subscription} />
      </div>

      <ExpiriesCard nextExpiries={data.nextExpiries} />

      <UserLedgerTables lots={data.lots} entries={data.entries} holds={data.holds} images={data.images} />

      <p className={account.small}>
        <Link href={`/admin/audit?user=${user.id}`}>Audit log for this user →</Link>
      </p>
    </>
  );
}
