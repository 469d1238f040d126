'use client';
/**
 * The bulk upload queue: the files dropped together (at most 50) upload three at a time with
 * their progress, then show their free preview as each arrives; a failure says why, per file; a
 * 429 (60 uploads a minute) is waited out, never a failure, and a busy background remover (503)
 * is tried again a few times before the file fails. All share one batch id, so the recent
 * list shows them as a group. "Download all in HD" opens the price dialog for the uploaded ones.
 */
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Progress } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { MAX_BATCH_IMAGES } from '~/lib/batch';
import { UploadError, uploadImage, type UploadedImage } from '../upload';
import { BatchHdDialog } from './BatchHdDialog';
import { newBatchId, runPool, withRetryAfter } from './patience';
import styles from './bulk.module.css';

/** Uploads in flight at once. */
const UPLOAD_CONCURRENCY = 3;
/** A busy or starting background remover (503) is tried again this many times per file, this far apart. */
const BUSY_RETRIES = 3;
const BUSY_WAIT_S = 10;

type State =
  | { kind: 'waiting' }
  | { kind: 'uploading'; progress: number }
  | { kind: 'processing' }
  | { kind: 'limited'; seconds: number; why: 'limit' | 'busy' }
  | { kind: 'done'; image: UploadedImage }
  | { kind: 'failed'; message: string };

type Item = { key: number; name: string; state: State };

function statusText(state: State): string {
  switch (state.kind) {
    case 'waiting':
      return 'Waiting…';
    case 'uploading':
      return `Uploading… ${Math.round(state.progress * 100)}%`;
    case 'processing':
      return 'Removing the background…';
    case 'limited':
      return state.why === 'limit'
        ? `Upload limit reached; continuing in ${state.seconds} s…`
        : `The background remover is busy; trying again in ${state.seconds} s…`;
    case 'done':
      return 'Preview ready';
    case 'failed':
      return state.message;
  }
}

export function BulkQueue({ files, onClose }: { files: File[]; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [accepted] = useState(() => files.slice(0, MAX_BATCH_IMAGES));
  const [items, setItems] = useState<Item[]>(() =>
    accepted.map((f, key) => ({ key, name: f.name || 'image', state: { kind: 'waiting' } })),
  );
  const [hdOpen, setHdOpen] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    // Once per queue (React's development double-run of effects must not upload twice).
    if (started.current) return;
    started.current = true;
    const batchId = newBatchId();
    const set = (key: number, state: State) =>
      setItems((all) => all.map((it) => (it.key === key ? { ...it, state } : it)));
    void runPool(accepted, UPLOAD_CONCURRENCY, async (file, key) => {
      let why: 'limit' | 'busy' = 'limit';
      let busyRetries = 0;
      try {
        const image = await withRetryAfter(
          () => {
            set(key, { kind: 'uploading', progress: 0 });
            const form = new FormData();
            form.set('batchId', batchId);
            // Uploads finish in any order; the batch (and its ZIP) lists the files as chosen.
            form.set('batchPosition', String(key));
            form.set('file', file);
            return uploadImage(form, (p) =>
              set(key, p >= 1 ? { kind: 'processing' } : { kind: 'uploading', progress: p }),
            );
          },
          (err) => {
            if (!(err instanceof UploadError)) return null;
            why = err.status === 429 ? 'limit' : 'busy';
            if (err.status === 429) return err.retryAfterSeconds ?? 0;
            if (err.status === 503 && busyRetries++ < BUSY_RETRIES) return err.retryAfterSeconds ?? BUSY_WAIT_S;
            return null;
          },
          (seconds) => set(key, { kind: 'limited', seconds, why }),
        );
        set(key, { kind: 'done', image });
      } catch (err) {
        set(key, { kind: 'failed', message: err instanceof Error ? err.message : 'The upload failed.' });
      }
    }).then(() => {
      void queryClient.invalidateQueries({ queryKey: trpc.batches.recent.queryKey() });
    });
  }, [accepted, queryClient, trpc]);

  const done = items.flatMap((it) => (it.state.kind === 'done' ? [it.state.image] : []));
  const failed = items.filter((it) => it.state.kind === 'failed').length;
  const pending = items.length - done.length - failed;

  return (
    <section className="bgr-card bgr-stack" aria-label="Bulk upload" data-testid="bulk-queue">
      <div className={styles.head}>
        <h2>
          {pending > 0
            ? `Uploading ${items.length} images — ${done.length + failed} of ${items.length} finished`
            : `${done.length} of ${items.length} images ready${failed ? `, ${failed} failed` : ''}`}
        </h2>
        <div className={styles.actions}>
          <Button variant="secondary" onClick={onClose} disabled={pending > 0}>
            Start over
          </Button>
          <Button
            onClick={() => setHdOpen(true)}
            disabled={pending > 0 || done.length === 0}
            data-testid="open-batch-hd"
          >
            Download all in HD
          </Button>
        </div>
      </div>
      {files.length > MAX_BATCH_IMAGES ? (
        <Alert tone="warning">
          {`You chose ${files.length} images; one batch holds up to ${MAX_BATCH_IMAGES}, so the first ${MAX_BATCH_IMAGES} were added.`}
        </Alert>
      ) : null}
      <Progress value={(done.length + failed) / Math.max(1, items.length)} label="Batch progress" />
      <ul className={styles.queue}>
        {items.map((it) => (
          <li
            key={it.key}
            className={it.state.kind === 'failed' ? `${styles.item} ${styles.itemFailed}` : styles.item}
            data-testid="bulk-item"
            data-state={it.state.kind}
          >
            <div className={`bgr-checkerboard ${styles.thumb}`}>
              {it.state.kind === 'done' ? (
                <img src={it.state.image.previewUrl} alt={`Preview of ${it.name}`} data-testid="bulk-preview" />
              ) : null}
            </div>
            <div className={styles.meta}>
              <span className={styles.name} title={it.name}>
                {it.name}
              </span>
              <span className={it.state.kind === 'failed' ? styles.why : 'bgr-muted'}>{statusText(it.state)}</span>
              {it.state.kind === 'uploading' ? (
                <Progress value={it.state.progress} label={`Uploading ${it.name}`} />
              ) : it.state.kind === 'processing' ? (
                <Progress value={null} label={`Removing the background of ${it.name}`} />
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      <BatchHdDialog open={hdOpen} onClose={() => setHdOpen(false)} imageIds={done.map((img) => img.id)} />
    </section>
  );
}
