'use client';
/** Creates a team by name (names are unique whatever their case); its page then takes members and credits. */
import { useState } from 'react';
import Link from 'next/link';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { errorSentence } from '../dashboard/error-sentence';
import { useRefresh } from './useAdminMutation';
import account from '../dashboard/account.module.css';
import styles from './admin.module.css';

export function CreateTeamForm() {
  const trpc = useTRPC();
  const { refresh } = useRefresh();
  const [name, setName] = useState('');
  const create = useMutation(
    trpc.adminTeams.create.mutationOptions({
      onSuccess: () => {
        setName('');
        refresh();
      },
    }),
  );
  return (
    <section className={account.card} aria-labelledby="create-team-title">
      <h2 id="create-team-title">Create a team</h2>
      <form
        className={styles.formStack}
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name });
        }}
      >
        <div className={account.field}>
          <label htmlFor="team-name">Team name</label>
          <input
            id="team-name"
            className="bgr-input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            required
            autoComplete="off"
            placeholder="e.g. Marketing"
          />
        </div>
        <div className={account.actions}>
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            Create team
          </Button>
        </div>
        {create.error ? <Alert tone="error">{errorSentence(create.error)}</Alert> : null}
        {create.isSuccess ? (
          <Alert tone="success">
            Created {create.data.name}. <Link href={`/admin/teams/${create.data.id}`}>Open its page</Link> to add
            members and grant credits.
          </Alert>
        ) : null}
      </form>
    </section>
  );
}
