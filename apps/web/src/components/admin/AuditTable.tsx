/** Who did what to whom, when, and why (the note). */
import Link from 'next/link';
import type { RouterOutputs } from '../dashboard/router-types';
import { creditsText, formatDateTime } from '../dashboard/format';
import account from '../dashboard/account.module.css';

type Row = RouterOutputs['admin']['audit'][number];

const ACTIONS: Record<string, string> = {
  'user.create': 'Created user',
  'user.disable': 'Disabled user',
  'user.enable': 'Enabled user',
  'user.promote': 'Promoted to admin',
  'user.demote': 'Demoted to user',
  'user.sso_link': 'Linked to single sign-on (password sign-in off, other sessions ended)',
  'credits.grant': 'Granted credits',
  'subscription.start': 'Started plan',
  'subscription.change': 'Changed plan',
  'subscription.cancel': 'Cancelled plan',
  'credits.debit': 'Corrected credits (debit)',
  'api_key.create': 'Created API key',
  'api_key.revoke': 'Revoked API key',
  'improvements.export': 'Exported improvement images',
  'team.create': 'Created team',
  'team.rename': 'Renamed team',
  'team.settings': 'Changed team settings',
  'team.member.add': 'Added to team',
  'team.member.remove': 'Removed from team',
  'team.member.cap': 'Set monthly cap',
  'team.member.role': 'Changed team role',
};

const capText = (v: unknown) => (num(v) === null ? 'no cap' : `${creditsText(num(v)!)} a month`);

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A short human summary of the details the router stored with the action. */
export function describeAudit(row: Pick<Row, 'action' | 'details'>): string {
  const d = row.details ?? {};
  const units = num(d.units);
  const monthly = num(d.monthlyUnits);
  // A team's credits and plans, and every team change, name the team.
  const team = typeof d.team === 'string' ? d.team : null;
  const teamPart = team && row.action.startsWith('team.member') ? `${String(d.email ?? '')} · ${team}` : team;
  switch (row.action) {
    case 'team.create':
      return team ?? '';
    case 'team.rename':
      return `${String(d.from ?? '')} → ${team ?? ''}`;
    case 'team.settings':
      return `${team ?? ''}: owners ${d.ownersManageMembers ? 'may' : 'may not'} manage members`;
    case 'team.member.add':
      return `${teamPart} as ${d.role === 'owner' ? 'owner' : 'member'}, ${capText(d.monthlyCapUnits)}`;
    case 'team.member.remove':
      return teamPart ?? '';
    case 'team.member.cap':
      return `${teamPart}: ${capText(d.was)} → ${capText(d.monthlyCapUnits)}`;
    case 'team.member.role':
      return `${teamPart}: ${String(d.was ?? '—')} → ${String(d.role ?? '')}`;
    case 'credits.grant': {
      const kind = d.kind === 'promo' ? 'promo' : d.kind === 'payg' ? 'pay-as-you-go' : String(d.kind ?? '');
      const exp = typeof d.expiresAt === 'string' ? `, expires ${formatDateTime(d.expiresAt)}` : ', never expires';
      return units !== null ? `${creditsText(units)} ${kind}${exp}` : kind;
    }
    case 'subscription.start':
      return monthly !== null ? `${creditsText(monthly)} per month` : '';
    case 'subscription.change': {
      const from = num(d.fromMonthlyUnits);
      return monthly !== null
        ? `${from !== null ? `${creditsText(from)} → ` : ''}${creditsText(monthly)} per month`
        : '';
    }
    case 'subscription.cancel':
      return typeof d.endsAt === 'string' ? `credits kept until ${formatDateTime(d.endsAt)}` : '';
    case 'user.create':
      return d.role === 'admin' ? 'as administrator' : '';
    case 'credits.debit':
      return units !== null ? `−${creditsText(units)}` : '';
    case 'api_key.create':
      return typeof d.prefix === 'string' ? `key ${d.prefix}…` : '';
    case 'improvements.export': {
      const count = num(d.count);
      return count !== null ? `${count} ${count === 1 ? 'image' : 'images'}` : '';
    }
    default:
      return '';
  }
}

/** The summary with the team named first when the credits or plan were a team's. */
function describeWithTeam(row: Pick<Row, 'action' | 'details'>): string {
  const text = describeAudit(row);
  const team = typeof row.details?.team === 'string' ? row.details.team : null;
  if (!team || row.action.startsWith('team.')) return text;
  return text ? `Team ${team}: ${text}` : `Team ${team}`;
}

export function AuditTable({ rows }: { rows: Row[] }) {
  if (rows.length === 0) return <p className={account.empty}>No administrator actions yet.</p>;
  return (
    <div className={account.tableWrap}>
      <table className={account.table} data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">User</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const detail = describeWithTeam(r);
            const teamId = typeof r.details?.teamId === 'string' ? r.details.teamId : null;
            return (
              <tr key={r.id}>
                <td className={account.nowrap}>{formatDateTime(r.at)}</td>
                <td style={{ overflowWrap: 'break-word' }}>
                  {r.actorEmail ??
                    (r.actorId ? (
                      <span className={account.muted}>deleted user</span>
                    ) : (
                      <span className={account.badgeMuted}>CLI</span>
                    ))}
                </td>
                <td>
                  <strong>{ACTIONS[r.action] ?? r.action}</strong>
                  {detail ? <div className={`${account.muted} ${account.small}`}>{detail}</div> : null}
                </td>
                <td style={{ overflowWrap: 'break-word' }}>
                  {r.targetUserId && r.targetEmail ? (
                    <Link href={`/admin/users/${r.targetUserId}`}>{r.targetEmail}</Link>
                  ) : teamId ? (
                    <Link href={`/admin/teams/${teamId}`}>Team</Link>
                  ) : (
                    <span className={account.muted}>—</span>
                  )}
                </td>
                <td>{r.note ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
