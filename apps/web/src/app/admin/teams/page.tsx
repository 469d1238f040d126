/** The admin's list of teams (name, members, credits) and the form that creates one. */
import Link from 'next/link';
import { AdminTable } from '~/components/admin/AdminTable';
import { CreateTeamForm } from '~/components/admin/CreateTeamForm';
import { serverCaller } from '~/trpc/server';
import { creditsNumber, formatDate } from '~/components/dashboard/format';
import account from '~/components/dashboard/account.module.css';

export const metadata = { title: 'Teams' };

export default async function AdminTeamsPage() {
  const { caller } = await serverCaller();
  const teams = await caller.adminTeams.list();
  return (
    <>
      <section className={account.card} aria-labelledby="teams-title">
        <div className={account.cardHeader}>
          <h2 id="teams-title">Teams</h2>
          <span className={`${account.muted} ${account.small}`}>
            A team holds credits like a person; its members spend them first, within their monthly caps.
          </span>
        </div>
        <AdminTable
          testId="teams-table"
          columns={[
            'Team',
            { label: 'Members', num: true },
            { label: 'Credits', num: true },
            { label: 'Created', hideSm: true },
          ]}
          items={teams}
          empty="No teams yet. Create one below."
          row={(t) => (
            <tr key={t.id}>
              <td style={{ overflowWrap: 'anywhere' }}>
                <Link href={`/admin/teams/${t.id}`}>{t.name}</Link>
                {t.ownersManageMembers ? (
                  <div className={`${account.muted} ${account.small}`}>Owners manage members</div>
                ) : null}
              </td>
              <td className={account.num}>{t.members.toLocaleString('en-GB')}</td>
              <td className={account.num}>{creditsNumber(t.totalUnits)}</td>
              <td className={`${account.nowrap} ${account.hideSm}`}>{formatDate(t.createdAt)}</td>
            </tr>
          )}
        />
      </section>
      <CreateTeamForm />
    </>
  );
}
