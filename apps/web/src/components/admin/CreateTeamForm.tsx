'use client';
/** Creates a team by name (names are unique whatever their case); its page then takes members and credits. */
import { useState } from 'react';
import Link from 'next/link';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { Field, SubmitRow } from './form-parts';
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
        <Field
          id="team-name"
          label="Team name"
          value={name}
          onChange={setName}
          maxLength={100}
          required
          autoComplete="off"
          placeholder="e.g. Marketing"
        />
        <SubmitRow
          call={create}
          disabled={!name.trim()}
          success={
            create.isSuccess ? (
              <>
                Created {create.data.name}. <Link href={`/admin/teams/${create.data.id}`}>Open its page</Link> to add
                members and grant credits.
              </>
            ) : null
          }
        >
          Create team
        </SubmitRow>
      </form>
    </section>
  );
}
