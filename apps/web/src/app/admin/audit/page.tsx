import Link from 'next/link';
import { serverCaller } from '~/trpc/server';
import { AuditTable } from '~/components/admin/AuditTable';
import account from '~/components/dashboard/account.module.css';

export const metadata = { title: 'Audit log' };

const PAGE = 100;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{ user?: string; before?: string }>;
}) {
  const { user, before } = await searchParams;
  const targetUserId = user && /^[0-9a-f-]{36}$/i.test(user) ? user : undefined;
  const beforeId = before && /^\d+$/.test(before) ? Number(before) : undefined;
  const { caller } = await serverCaller();
  const rows = await caller.admin.audit({ limit: PAGE, targetUserId, beforeId });
  const last = rows.at(-1);
  const more =
    rows.length === PAGE && last
      ? `/admin/audit?${new URLSearchParams({ ...(targetUserId ? { user: targetUserId } : {}), before: String(last.id) })}`
      : null;

  return (
    <section className={account.card} aria-labelledby="audit-title">
      <div className={account.cardHeader}>
        <h2 id="audit-title">Audit log</h2>
        {targetUserId ? (
          <span className={account.small}>
            Showing one user · <Link href="/admin/audit">Show everyone</Link>
          </span>
        ) : (
          <span className={`${account.muted} ${account.small}`}>Every administrator action, newest first</span>
        )}
      </div>
      <AuditTable rows={rows} />
      {more ? (
        <p className={account.small} style={{ marginTop: 12 }}>
          <Link href={more}>Older entries →</Link>
        </p>
      ) : null}
    </section>
  );
}
