/**
 * What a member sees of their team: the team credits open to them now (the team's pool, up to what
 * their monthly cap leaves) and their own use this month. Never other members' use.
 */
import { creditsNumber, creditsText } from '../dashboard/format';
import { CapMeter } from './CapMeter';
import account from '../dashboard/account.module.css';
import dashboard from '../dashboard/dashboard.module.css';

export type MyTeamView = {
  teamName: string;
  role: 'owner' | 'member';
  capUnits: number | null;
  capUsedUnits: number;
  capLeftUnits: number | null;
  availableUnits: number;
};

export function MyTeamCard({ me }: { me: MyTeamView }) {
  return (
    <section className={account.card} aria-labelledby="my-team-title">
      <div className={account.cardHeader}>
        <h2 id="my-team-title">Your use of {me.teamName}&apos;s credits</h2>
        <span className={me.role === 'owner' ? account.badge : account.badgeMuted}>
          {me.role === 'owner' ? 'Owner' : 'Member'}
        </span>
      </div>
      <dl className={dashboard.facts}>
        <div>
          <dt>Team credits you can use now</dt>
          <dd data-testid="team-available">{creditsText(me.availableUnits)}</dd>
        </div>
        <div>
          <dt>Used this month</dt>
          <dd data-testid="team-used-me">
            {me.capUnits === null ? (
              creditsText(me.capUsedUnits)
            ) : (
              <CapMeter usedUnits={me.capUsedUnits} capUnits={me.capUnits} />
            )}
          </dd>
        </div>
        <div>
          <dt>Monthly cap</dt>
          <dd>
            {me.capUnits === null
              ? 'No cap'
              : `${creditsText(me.capUnits)} a month (${creditsNumber(me.capLeftUnits ?? 0)} left)`}
          </dd>
        </div>
      </dl>
      <p className={`${account.muted} ${account.small}`} style={{ marginBottom: 0, marginTop: 16 }}>
        Downloads use team credits first, up to your cap, then your own. Caps count calendar months (UTC).
      </p>
    </section>
  );
}
