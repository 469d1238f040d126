'use client';
/**
 * A team's name and its one setting: whether its owners may add and remove members and set their
 * caps from their dashboard. Both changes are admin actions with an audit entry.
 */
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { errorSentence } from '../dashboard/error-sentence';
import { Field, SubmitRow } from './form-parts';
import { useRefresh } from './useAdminMutation';
import account from '../dashboard/account.module.css';
import styles from './admin.module.css';

export function TeamSettingsForm({ team }: { team: { id: string; name: string; ownersManageMembers: boolean } }) {
  const trpc = useTRPC();
  const { refresh } = useRefresh();
  const [name, setName] = useState(team.name);
  const rename = useMutation(trpc.adminTeams.rename.mutationOptions({ onSuccess: refresh }));
  const settings = useMutation(trpc.adminTeams.setSettings.mutationOptions({ onSuccess: refresh }));
  return (
    <section className={account.card} aria-labelledby="team-settings-title">
      <h2 id="team-settings-title">Name and settings</h2>
      <form
        className={styles.formStack}
        onSubmit={(e) => {
          e.preventDefault();
          rename.mutate({ teamId: team.id, name });
        }}
      >
        <Field id="team-rename" label="Team name" value={name} onChange={setName} maxLength={100} required />
        <SubmitRow call={rename} variant="secondary" disabled={name.trim() === team.name}>
          Rename
        </SubmitRow>
      </form>
      <label className={styles.radio} style={{ marginTop: 16 }}>
        <input
          type="checkbox"
          checked={team.ownersManageMembers}
          disabled={settings.isPending}
          onChange={(e) => settings.mutate({ teamId: team.id, ownersManageMembers: e.target.checked })}
        />
        Owners may add and remove members and set their monthly caps
      </label>
      {settings.error ? <Alert tone="error">{errorSentence(settings.error)}</Alert> : null}
    </section>
  );
}
