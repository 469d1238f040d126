'use client';
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { Alert, Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { errorSentence } from '../dashboard/error-sentence';
import { useRefresh } from './useAdminMutation';
import account from '../dashboard/account.module.css';
import styles from './admin.module.css';

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
          <div className={account.field}>
            <label htmlFor="new-email">Email</label>
            <input
              id="new-email"
              type="email"
              className="bgr-input"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
              autoComplete="off"
            />
          </div>
          <div className={account.field}>
            <label htmlFor="new-name">Name (optional)</label>
            <input
              id="new-name"
              className="bgr-input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              autoComplete="off"
            />
          </div>
          <div className={account.field}>
            <label htmlFor="new-password">Initial password</label>
            <input
              id="new-password"
              type="password"
              className="bgr-input"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              minLength={8}
              required
              autoComplete="new-password"
            />
            <span className={account.hint}>At least 8 characters. Share it with the person securely.</span>
          </div>
        </div>
        <fieldset className={styles.radioRow} style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="visually-hidden">Role</legend>
          <label className={styles.radio}>
            <input type="radio" name="new-role" checked={role === 'user'} onChange={() => setRole('user')} /> User
          </label>
          <label className={styles.radio}>
            <input type="radio" name="new-role" checked={role === 'admin'} onChange={() => setRole('admin')} />{' '}
            Administrator
          </label>
        </fieldset>
        <div className={account.actions}>
          <Button type="submit" loading={create.isPending}>
            Create user
          </Button>
        </div>
        {create.isError ? <Alert tone="error">{errorSentence(create.error)}</Alert> : null}
        {create.isSuccess ? (
          <Alert tone="success">
            Created {create.data.email}. <Link href={`/admin/users/${create.data.id}`}>Open their page</Link> to grant
            credits or start a plan.
          </Alert>
        ) : null}
      </form>
    </section>
  );
}
