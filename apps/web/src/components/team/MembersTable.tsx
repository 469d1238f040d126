'use client';
/**
 * A team's members with their role, monthly cap and what they drew from the team this month. The
 * admin console may change roles, caps and membership; an owner sees the same table and, when the
 * team allows owners to manage members, may change members' caps and remove members (an owner's
 * cap and removal are the administrators'). Hidden buttons are only a courtesy: the procedures
 * check role and setting again on the server.
 */
import { useState } from 'react';
import { Alert, Button } from '@bgr/ui';
import { ConfirmDialog } from '../dashboard/ConfirmDialog';
import { errorSentence } from '../dashboard/error-sentence';
import { creditsNumber } from '../dashboard/format';
import { useRefresh } from '../admin/useAdminMutation';
import { CapMeter } from './CapMeter';
import { type MemberScope, useRemoveMember, useUpdateMember } from './member-mutations';
import account from '../dashboard/account.module.css';
import styles from './team.module.css';

export type MemberView = {
  userId: string;
  email: string;
  name: string | null;
  role: 'owner' | 'member';
  capUnits: number | null;
  /** Team credits this member drew this calendar month (UTC). */
  usedUnits: number;
};

export function MembersTable({
  members,
  scope,
  canManage,
  selfId,
}: {
  members: MemberView[];
  scope: MemberScope;
  canManage: boolean;
  selfId?: string;
}) {
  const { refresh } = useRefresh();
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const update = useUpdateMember(scope, refresh);
  const remove = useRemoveMember(scope, () => {
    setRemoving(null);
    refresh();
  });

  if (members.length === 0) return <p className={account.empty}>Nobody is in this team yet.</p>;
  return (
    <>
      {update.error ? <Alert tone="error">{errorSentence(update.error)}</Alert> : null}
      <div className={account.tableWrap}>
        <table className={`${account.table} ${styles.membersTable}`} data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Used this month</th>
              {canManage ? <th scope="col">Monthly cap (credits)</th> : null}
              {canManage ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-testid={`member-${m.email}`}>
                <td style={{ overflowWrap: 'anywhere' }}>
                  {m.email}
                  {m.name ? <div className={`${account.muted} ${account.small}`}>{m.name}</div> : null}
                </td>
                <td>
                  {scope.as === 'admin' ? (
                    <select
                      className="bgr-input"
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={update.isPending}
                      onChange={(e) => update.mutate({ userId: m.userId, role: e.target.value as MemberView['role'] })}
                    >
                      <option value="member">Member</option>
                      <option value="owner">Owner</option>
                    </select>
                  ) : (
                    <span className={m.role === 'owner' ? account.badge : account.badgeMuted}>
                      {m.role === 'owner' ? 'Owner' : 'Member'}
                    </span>
                  )}
                </td>
                <td>
                  <CapMeter usedUnits={m.usedUnits} capUnits={m.capUnits} />
                </td>
                {canManage ? (
                  <td>
                    {/* Every owner's cap, their own included, is an administrator's to set (the server refuses it too). */}
                    {scope.as === 'owner' && m.role === 'owner' ? (
                      <span className={`${account.muted} ${account.small}`}>Set by an administrator</span>
                    ) : (
                      <CapEditor
                        member={m}
                        busy={update.isPending}
                        onSave={(monthlyCredits) => update.mutate({ userId: m.userId, monthlyCredits })}
                      />
                    )}
                  </td>
                ) : null}
                {canManage ? (
                  <td>
                    {/* Owners are removed by administrators only (the server refuses it too). */}
                    {m.userId === selfId || (scope.as === 'owner' && m.role === 'owner') ? null : (
                      <Button
                        variant="secondary"
                        size="sm"
                        onClick={() => {
                          remove.reset();
                          setRemoving(m);
                        }}
                      >
                        Remove
                      </Button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title="Remove from the team"
        confirmLabel="Remove"
        danger
        withNote={scope.as === 'admin'}
        busy={remove.isPending}
        error={remove.error ? errorSentence(remove.error) : null}
        onConfirm={(note) => removing && remove.mutate({ userId: removing.userId, note })}
        onClose={() => setRemoving(null)}
      >
        {removing
          ? `${removing.email} will no longer draw on the team's credits. Their own credits stay theirs, and downloads already started finish as they began.`
          : null}
      </ConfirmDialog>
    </>
  );
}

/** The cap as a number of credits; empty means no cap. Saved on its own button, so a typo is not sent at once. */
function CapEditor({
  member,
  busy,
  onSave,
}: {
  member: MemberView;
  busy: boolean;
  onSave: (monthlyCredits: number | null) => void;
}) {
  const initial = member.capUnits === null ? '' : creditsNumber(member.capUnits).replace(/,/g, '');
  const [value, setValue] = useState(initial);
  return (
    <form
      className={styles.capForm}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(value.trim() === '' ? null : Number(value));
      }}
    >
      <input
        className="bgr-input"
        type="number"
        inputMode="decimal"
        min="0"
        step="0.25"
        placeholder="No cap"
        aria-label={`Monthly cap of ${member.email}, in credits (empty: no cap)`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <Button type="submit" variant="secondary" size="sm" disabled={busy || value === initial}>
        Save
      </Button>
    </form>
  );
}
