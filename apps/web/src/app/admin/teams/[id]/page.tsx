/**
 * One team in the admin console: name and setting, members with role and cap, credits (grants and
 * plan through the same forms as a person's page), balance by kind, lots and ledger, and what each
 * member spent of the team's credits over the last 30 days.
 */
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { BalanceCard } from '~/components/dashboard/BalanceCard';
import { ExpiriesCard } from '~/components/dashboard/PlanCard';
import { serverCaller } from '~/trpc/server';
import { GrantForm } from '~/components/admin/GrantForm';
import { PlanForm } from '~/components/admin/PlanForm';
import { TeamSettingsForm } from '~/components/admin/TeamSettingsForm';
import { UserLedgerTables } from '~/components/admin/UserLedgerTables';
import { AddMemberForm } from '~/components/team/AddMemberForm';
import { MembersTable } from '~/components/team/MembersTable';
import { TeamUsageChart } from '~/components/team/TeamUsageChart';
import { creditsNumber, formatDate } from '~/components/dashboard/format';
import account from '~/components/dashboard/account.module.css';
import styles from '~/components/admin/admin.module.css';

export const metadata = { title: 'Team' };

export default async function AdminTeamPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { caller } = await serverCaller();
  let data;
  try {
    data = await caller.adminTeams.team({ teamId: id });
  } catch (err) {
    if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) notFound();
    throw err;
  }
  const { team } = data;
  const usedThisMonth = data.members.reduce((s, m) => s + m.usedUnits, 0);

  return (
    <>
      <p className={account.small}>
        <Link href="/admin/teams">← All teams</Link>
      </p>
      <section className={account.card}>
        <div className={styles.userHead}>
          <div>
            <h1 data-testid="admin-team-name">{team.name}</h1>
            <div className={account.actions}>
              <span className={account.badgeMuted}>
                {data.members.length} {data.members.length === 1 ? 'member' : 'members'}
              </span>
              {team.ownersManageMembers ? <span className={account.badge}>Owners manage members</span> : null}
              <span className={`${account.muted} ${account.small}`}>Created {formatDate(team.createdAt)}</span>
            </div>
          </div>
        </div>
      </section>

      <BalanceCard balance={data.balance} title="Team credits" />

      <section className={account.card} aria-labelledby="members-title">
        <div className={account.cardHeader}>
          <h2 id="members-title">Members</h2>
          <span className={`${account.muted} ${account.small}`}>
            Team credits used this month (UTC): {creditsNumber(usedThisMonth)}
          </span>
        </div>
        <MembersTable members={data.members} scope={{ as: 'admin', teamId: team.id }} canManage />
        <h3>Add a member</h3>
        <AddMemberForm scope={{ as: 'admin', teamId: team.id }} />
      </section>

      <section className={account.card} aria-label="Usage per member">
        <TeamUsageChart days={data.usage} members={data.members} title="Team credits spent per day, last 30 days" />
      </section>

      <div className={account.grid2}>
        <GrantForm owner={{ teamId: team.id }} />
        <PlanForm owner={{ teamId: team.id }} plan={data.subscription} />
      </div>

      <div className={account.grid2}>
        <TeamSettingsForm team={team} />
        <ExpiriesCard nextExpiries={data.nextExpiries} />
      </div>

      <UserLedgerTables lots={data.lots} entries={data.entries} owner="team" />
    </>
  );
}
