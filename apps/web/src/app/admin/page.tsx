import Link from 'next/link';
import { AdminTable } from '~/components/admin/AdminTable';
import { CreateUserForm } from '~/components/admin/CreateUserForm';
import { serverCaller } from '~/trpc/server';
import { creditsNumber, formatDate } from '~/components/dashboard/format';
import account from '~/components/dashboard/account.module.css';
import styles from '~/components/admin/admin.module.css';

export const metadata = { title: 'Users' };

/** listUsers' page size. */
const USER_LIMIT = 100;

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q } = await searchParams;
  const search = (q ?? '').trim();
  const { caller } = await serverCaller();
  const users = await caller.admin.listUsers({ search: search || undefined });

  return (
    <>
      <section className={account.card} aria-labelledby="users-title">
        <div className={account.cardHeader}>
          <h2 id="users-title">Users</h2>
          <form className={styles.search} role="search" action="/admin" method="get">
            <label htmlFor="user-search" className="visually-hidden">
              Search users by email or name
            </label>
            <input
              id="user-search"
              name="q"
              type="search"
              className="bgr-input"
              defaultValue={search}
              placeholder="Search by email or name"
            />
            <button type="submit" className="bgr-btn bgr-btn--secondary bgr-btn--md">
              Search
            </button>
          </form>
        </div>
        {users.length >= USER_LIMIT ? (
          <p className={account.muted}>Showing the first {USER_LIMIT} users by email. Search to find someone else.</p>
        ) : null}
        {search ? (
          <p className={account.muted}>
            {users.length} {users.length === 1 ? 'user matches' : 'users match'} “{search}”.{' '}
            <Link href="/admin">Show all</Link>
          </p>
        ) : null}
        <AdminTable
          testId="users-table"
          columns={['User', 'Status', { label: 'Credits', num: true }, { label: 'Joined', hideSm: true }]}
          items={users}
          empty="No users found."
          row={(u) => (
            <tr key={u.id}>
              <td>
                <Link href={`/admin/users/${u.id}`}>{u.email}</Link>
                {u.name ? <div className={`${account.muted} ${account.small}`}>{u.name}</div> : null}
              </td>
              <td>
                <div className={account.actions} style={{ gap: 4 }}>
                  {u.role === 'admin' ? (
                    <span className={account.badge}>Admin</span>
                  ) : (
                    <span className={account.badgeMuted}>User</span>
                  )}
                  {u.disabled ? (
                    <span className={account.badgeDanger}>Disabled</span>
                  ) : (
                    <span className={account.badgeOk}>Active</span>
                  )}
                </div>
              </td>
              <td className={account.num}>{creditsNumber(u.totalUnits)}</td>
              <td className={`${account.nowrap} ${account.hideSm}`}>{formatDate(u.createdAt)}</td>
            </tr>
          )}
        />
      </section>
      <CreateUserForm />
    </>
  );
}
