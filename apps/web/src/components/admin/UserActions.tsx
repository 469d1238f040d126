'use client';
/** Disable/enable and promote/demote one user, each confirmed in a dialog with an optional note for the audit log. */
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { ConfirmDialog } from '../dashboard/ConfirmDialog';
import { errorSentence } from '../dashboard/error-sentence';
import { useRefresh } from './useAdminMutation';
import account from '../dashboard/account.module.css';

type Target = { id: string; email: string; role: 'user' | 'admin'; disabled: boolean };
type Action = 'promote' | 'demote' | 'disable' | 'enable';

const TEXT: Record<Action, { title: string; label: string; body: (email: string) => string; danger?: boolean }> = {
  promote: {
    title: 'Make administrator',
    label: 'Promote to admin',
    body: (e) => `${e} will be able to manage users, credits and plans, and see the audit log.`,
  },
  demote: {
    title: 'Remove administrator rights',
    label: 'Demote to user',
    body: (e) => `${e} will no longer have access to the admin console.`,
  },
  disable: {
    title: 'Disable account',
    label: 'Disable account',
    body: (e) => `${e} will be signed out everywhere and their API keys stop working. Their credits are kept.`,
    danger: true,
  },
  enable: {
    title: 'Enable account',
    label: 'Enable account',
    body: (e) => `${e} will be able to sign in and use their API keys again.`,
  },
};

export function UserActions({ user, isSelf }: { user: Target; isSelf: boolean }) {
  const trpc = useTRPC();
  const { refresh, refreshing } = useRefresh();
  const [action, setAction] = useState<Action | null>(null);
  const done = () => {
    setAction(null);
    refresh();
  };
  const disable = useMutation(trpc.admin.setDisabled.mutationOptions({ onSuccess: done }));
  const role = useMutation(trpc.admin.setRole.mutationOptions({ onSuccess: done }));
  const busy = disable.isPending || role.isPending || refreshing;
  const failed = action === 'promote' || action === 'demote' ? role.error : disable.error;

  function open(a: Action) {
    disable.reset();
    role.reset();
    setAction(a);
  }

  function confirm(note: string | undefined) {
    if (action === 'promote' || action === 'demote')
      role.mutate({ userId: user.id, role: action === 'promote' ? 'admin' : 'user', note });
    else if (action) disable.mutate({ userId: user.id, disabled: action === 'disable', note });
  }

  return (
    <div className={account.actions}>
      <Button
        variant="secondary"
        size="sm"
        disabled={busy}
        onClick={() => open(user.role === 'admin' ? 'demote' : 'promote')}
      >
        {user.role === 'admin' ? 'Demote to user' : 'Promote to admin'}
      </Button>
      {user.disabled ? (
        <Button variant="secondary" size="sm" disabled={busy} onClick={() => open('enable')}>
          Enable account
        </Button>
      ) : (
        <Button
          variant="danger"
          size="sm"
          disabled={busy || isSelf}
          title={isSelf ? 'You cannot disable your own account.' : undefined}
          onClick={() => open('disable')}
        >
          Disable account
        </Button>
      )}
      <ConfirmDialog
        open={action !== null}
        title={action ? TEXT[action].title : ''}
        confirmLabel={action ? TEXT[action].label : ''}
        danger={action ? TEXT[action].danger : false}
        withNote
        busy={disable.isPending || role.isPending}
        error={failed ? errorSentence(failed) : null}
        onConfirm={confirm}
        onClose={() => setAction(null)}
      >
        {action ? TEXT[action].body(user.email) : null}
      </ConfirmDialog>
    </div>
  );
}
