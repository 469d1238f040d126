'use client';
/** "Are you sure?" with an optional note for the audit log; stays open and shows the error if the action fails. */
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Dialog } from '@bgr/ui';
import styles from './account.module.css';

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = false,
  withNote = false,
  busy = false,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  withNote?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: (note: string | undefined) => void;
  onClose: () => void;
}) {
  const [note, setNote] = useState('');
  useEffect(() => {
    if (open) setNote('');
  }, [open]);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Keep as is
          </Button>
          <Button
            variant={danger ? 'danger' : 'primary'}
            loading={busy}
            onClick={() => onConfirm(note.trim() || undefined)}
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        <div>{children}</div>
        {withNote ? (
          <div className={styles.field} style={{ flex: 'none' }}>
            <label htmlFor="confirm-note">Note for the audit log (optional)</label>
            <input
              id="confirm-note"
              className="bgr-input"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={500}
            />
          </div>
        ) : null}
        {error ? <Alert tone="error">{error}</Alert> : null}
      </div>
    </Dialog>
  );
}
