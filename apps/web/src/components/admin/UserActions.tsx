'use client';
/** Disable/enable and promote/demote one user; each asks for an optional note for the audit log. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { errorSentence } from '../dashboard/error-sentence';
import { useRefresh } from './useAdminMutation';
import account from '../dashboard/account.module.css';

export function UserActions({ user, isSelf }: { user: { id: string; email: string; role: 'user' | 'admin'; disabled: boolean }; isSelf: boolean }) {
  const trpc = useTRPC();
  const { refresh, refreshing } = useRefresh();
  const disable = useMutation(trpc.admin.setDisabled.mutationOptions({ onSuccess: refresh }));
  const role = useMutation(trpc.admin.setRole.mutationOptions({ onSuccess: refresh }));
  const busy = disable.isPending || role.isPending || refreshing;

  function ask(question: string): string | null {
    const note = window.prompt(`${question}\n\nOptional note for the audit log:`, '');
    return note === null ? null : note.trim();
  }

  return (
    <div className={account.actions} style={{ flexDirection: 'column', alignItems: 'flex-end' }}>
      <div className={account.actions}>
        {user.role === 'admin' ? (
          <Button
            variant="secondary"
            size="sm"
            disabled={busy}
            onClick={() => {
              const note = ask(`Remove administrator rights from ${user.email}?`);
              if (note !== null) role.mutate({ userId: user.id, role: 'user', note: note || undefined });
            }}
          >
            Demote to user
          </Button>
        ) : (
          <Button
            variant="secondary"
            size="sm"
            disabled={busy}
            onClick={() => {
              const note = ask(`Make ${user.email} an administrator?`);
              if (note !== null) role.mutate({ userId: user.id, role: 'admin', note: note || undefined });
            }}
          >
            Promote to admin
          </Button>
        )}
        {user.disabled ? (
          <Button
            variant="secondary"
            size="sm"
            disabled={busy}
            onClick={() => {
              const note = ask(`Enable ${user.email} again?`);
              if (note !== null) disable.mutate({ userId: user.id, disabled: false, note: note || undefined });
            }}
          >
            Enable account
          </Button>
        ) : (
          <Button
            variant="danger"
            size="sm"
            disabled={busy || isSelf}
            title={isSelf ? 'You cannot disable your own account.' : undefined}
            onClick={() => {
              const note = ask(`Disable ${user.email}? They will be signed out and their API keys stop working.`);
              if (note !== null) disable.mutate({ userId: user.id, disabled: true, note: note || undefined });
            }}
          >
            Disable account
          </Button>
        )}
      </div>
      {disable.isError ? <Alert tone="error">{errorSentence(disable.error)}</Alert> : null}
      {role.isError ? <Alert tone="error">{errorSentence(role.error)}</Alert> : null}
    </div>
  );
}
