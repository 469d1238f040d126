'use client';
/** Create (key shown once), list and revoke the signed-in user's API keys. */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { errorSentence } from './error-sentence';
import { ConfirmDialog } from './ConfirmDialog';
import { CopyButton } from './CopyButton';
import { formatDateTime } from './format';
import styles from './account.module.css';

export function ApiKeysPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });

  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (res) => {
        setCreated({ name: res.name, key: res.key });
        setName('');
        void invalidate();
      },
    }),
  );
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => {
        setRevoking(null);
        void invalidate();
      },
    }),
  );

  return (
    <section className={styles.card} aria-labelledby="keys-title">
      <div className={styles.cardHeader}>
        <h2 id="keys-title">Your API keys</h2>
      </div>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name: name.trim() });
        }}
      >
        <div className={styles.field}>
          <label htmlFor="key-name">Name</label>
          <input
            id="key-name"
            className="bgr-input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Shop export script"
            maxLength={80}
            required
          />
        </div>
        <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
          Create key
        </Button>
      </form>
      {create.isError ? (
        <div style={{ marginTop: 12 }}>
          <Alert tone="error">{errorSentence(create.error)}</Alert>
        </div>
      ) : null}

      {created ? (
        <div className={styles.secretBox} role="status" data-testid="new-api-key">
          <div style={{ flexBasis: '100%' }}>
            <strong>Key “{created.name}” created.</strong> Copy it now — it will not be shown again.
          </div>
          <code>{created.key}</code>
          <CopyButton text={created.key} />
          <Button variant="ghost" size="sm" onClick={() => setCreated(null)}>
            Done
          </Button>
        </div>
      ) : null}

      <div className={styles.tableWrap} style={{ marginTop: '1rem' }}>
        {keys.isPending ? (
          <p className={styles.empty}>Loading your keys…</p>
        ) : keys.isError ? (
          <p className={styles.error}>Your keys could not be loaded. Please reload the page.</p>
        ) : keys.data.length === 0 ? (
          <p className={styles.empty}>You have no API keys yet.</p>
        ) : (
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col" className={styles.hideSm}>
                  Created
                </th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <span className={styles.inlineCode}>{k.prefix}…</span>
                  </td>
                  <td className={`${styles.nowrap} ${styles.hideSm}`}>{formatDateTime(k.createdAt)}</td>
                  <td className={styles.nowrap}>
                    {k.lastUsedAt ? formatDateTime(k.lastUsedAt) : <span className={styles.muted}>Never</span>}
                  </td>
                  <td>
                    {k.revokedAt ? (
                      <span className={styles.badgeDanger}>Revoked</span>
                    ) : (
                      <Button
                        variant="secondary"
                        size="sm"
                        disabled={revoke.isPending}
                        onClick={() => {
                          revoke.reset();
                          setRevoking({ id: k.id, name: k.name });
                        }}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke API key"
        confirmLabel="Revoke key"
        danger
        busy={revoke.isPending}
        error={revoke.error ? errorSentence(revoke.error) : null}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
        onClose={() => setRevoking(null)}
      >
        Programs using “{revoking?.name}” will stop working at once. This cannot be undone.
      </ConfirmDialog>
    </section>
  );
}
