'use client';
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '~/trpc/react';
import { Field, RadioRow, SubmitRow } from './form-parts';
import { useRefresh } from './useAdminMutation';
import account from '../dashboard/account.module.css';
import styles from './admin.module.css';

const ROLES = { user: 'User', admin: 'Administrator' } as const;

export function CreateUserForm() {
  const trpc = useTRPC();
  const { refresh } = useRefresh();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'user' | 'admin'>('user');
  const create = useMutation(
    trpc.admin.createUser.mutationOptions({
      onSuccess: () => {
        setEmail('');
        setName('');
        setPassword('');
        setRole('user');
        refresh();
      },
    }),
  );

  return (
    <section className={account.card} aria-labelledby="create-user-title">
      <h2 id="create-user-title">Create a user</h2>
      <form
        className={styles.formStack}
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ email, password, name: name || undefined, role });
        }}
      >
        <div className={styles.formGrid}>
          <Field
            id="new-email"
            label="Email"
            type="email"
            value={email}
            onChange={setEmail}
            required
            autoComplete="off"
          />
          <Field id="new-name" label="Name (optional)" value={name} onChange={setName} autoComplete="off" />
          <Field
            id="new-password"
            label="Initial password"
            type="password"
            value={password}
            onChange={setPassword}
            minLength={8}
            required
            autoComplete="new-password"
            hint="At least 8 characters. Share it with the person securely."
          />
        </div>
        <RadioRow legend="Role" name="new-role" value={role} onChange={setRole} options={ROLES} />
        <SubmitRow
          call={create}
          success={
            create.isSuccess ? (
              <>
                Created {create.data.email}. <Link href={`/admin/users/${create.data.id}`}>Open their page</Link> to
                grant credits or start a plan.
              </>
            ) : null
          }
        >
          Create user
        </SubmitRow>
      </form>
    </section>
  );
}
