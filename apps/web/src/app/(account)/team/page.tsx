/**
 * The Team page of the dashboard. Owners see the team's credits and plan, every member's use this
 * month against their cap, and — when an admin lets the team's owners manage members — change caps
 * and add or remove members. Members see only their own use and the team credits open to them.
 * What is shown is decided by team.mine on the server, never by hiding parts of a full answer.
 */
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { BalanceCard } from '~/components/dashboard/BalanceCard';
import { PlanCard } from '~/components/dashboard/PlanCard';
import { AddMemberForm } from '~/components/team/AddMemberForm';
import { MembersTable } from '~/components/team/MembersTable';
import { MyTeamCard } from '~/components/team/MyTeamCard';
import { TeamNotices } from '~/components/team/TeamNotices';
import { TeamUsageChart } from '~/components/team/TeamUsageChart';
import { serverCaller } from '~/trpc/server';
import styles from '~/components/dashboard/account.module.css';

export const metadata: Metadata = { title: 'Team' };
export const dynamic = 'force-dynamic';

export default async function TeamPage() {
  const { caller, user } = await serverCaller();
  if (!user) redirect('/signin?callbackUrl=/team');
  const mine = await caller.team.mine();
  if (!mine) {
    return (
      <div className={styles.page}>
        <header className={styles.header}>
          <h1>Team</h1>
          <p className={styles.lead}>
            You are not in a team. An administrator can add you to one. <Link href="/dashboard">Your dashboard</Link>
          </p>
        </header>
      </div>
    );
  }
  const { owner } = mine;
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1 data-testid="team-name">{mine.team.name}</h1>
        <p className={styles.lead}>
          {owner
            ? 'You own this team: its credits, its plan and what each member used this month.'
            : 'You are a member of this team. Your downloads use its credits first, up to your monthly cap.'}
        </p>
      </header>

      <TeamNotices notices={mine.notices} />
      <MyTeamCard me={mine.me} />

      {owner ? (
        <>
          <BalanceCard balance={owner.balance} title="Team credits" />
          <PlanCard subscription={owner.subscription} forTeam />
          <section className={styles.card} aria-labelledby="members-title">
            <div className={styles.cardHeader}>
              <h2 id="members-title">Members this month</h2>
              {!owner.canManage ? (
                <span className={`${styles.muted} ${styles.small}`}>
                  Ask an administrator to change members or caps.
                </span>
              ) : null}
            </div>
            <MembersTable
              members={owner.members}
              scope={{ as: 'owner' }}
              canManage={owner.canManage}
              selfId={user.id}
            />
            {owner.canManage ? (
              <>
                <h3>Add a member</h3>
                <AddMemberForm scope={{ as: 'owner' }} />
              </>
            ) : null}
          </section>
          <section className={styles.card} aria-label="Usage per member">
            <TeamUsageChart days={owner.usage} members={owner.members} title="Team credits spent per day, this month" />
          </section>
        </>
      ) : null}
    </div>
  );
}
