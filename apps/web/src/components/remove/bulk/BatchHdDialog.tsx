'use client';
/**
 * "Download all in HD": the total price first (1 credit an image; images already paid for are
 * free) and the balance; on confirm one streamed ZIP (PNG, or WebP above 10 MP) with a progress
 * bar, waiting out the HD render limit's Retry-After; images that failed are listed with why
 * (they were not charged), the rest download.
 */
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Dialog, Progress, Spinner } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { formatCredits } from '@bgr/credits';
import { BatchZipError, fetchBatchZip, saveBlob } from './batch-zip';
import { withRetryAfter } from './patience';
import styles from './bulk.module.css';

type Run =
  | { kind: 'idle' }
  | { kind: 'running'; done: number; waitSeconds: number | null }
  | { kind: 'finished'; saved: number; failed: string[]; message: string }
  | { kind: 'error'; message: string };

export function BatchHdDialog({ open, onClose, imageIds }: { open: boolean; onClose: () => void; imageIds: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const quote = useQuery({
    ...trpc.batches.quote.queryOptions({ imageIds }),
    enabled: open && imageIds.length > 0,
    staleTime: 0,
  });
  const [run, setRun] = useState<Run>({ kind: 'idle' });

  useEffect(() => {
    if (open) setRun({ kind: 'idle' });
  }, [open]);

  const q = quote.data;
  const total = q?.count ?? imageIds.length;
  const short = q ? q.balanceUnits < q.costUnits : false;
  const running = run.kind === 'running';

  async function download() {
    if (!q) return;
    const before = q.balanceCredits;
    setRun({ kind: 'running', done: 0, waitSeconds: null });
    let done = 0;
    try {
      const zip = await withRetryAfter(
        () => {
          done = 0;
          setRun({ kind: 'running', done, waitSeconds: null });
          return fetchBatchZip(imageIds, () => {
            done++;
            setRun({ kind: 'running', done, waitSeconds: null });
          });
        },
        (err) => (err instanceof BatchZipError && err.status === 429 ? (err.retryAfterSeconds ?? 0) : null),
        (seconds) => setRun({ kind: 'running', done: 0, waitSeconds: seconds }),
      );
      saveBlob(zip.blob, zip.filename);
      const after = await queryClient.fetchQuery({ ...trpc.account.balance.queryOptions(), staleTime: 0 });
      const charged = Math.max(0, before - after.credits);
      const saved = total - zip.failed.length;
      setRun({
        kind: 'finished',
        saved,
        failed: zip.failed,
        message:
          charged > 0
            ? `Your ZIP with ${saved} image${saved === 1 ? '' : 's'} has downloaded. ${formatCredits(charged)} ${charged === 1 ? 'was' : 'were'} charged; you have ${formatCredits(after.credits)} left.`
            : `Your ZIP with ${saved} image${saved === 1 ? '' : 's'} has downloaded. Nothing was charged — these images were already paid for. You have ${formatCredits(after.credits)}.`,
      });
    } catch (err) {
      setRun({ kind: 'error', message: err instanceof Error ? err.message : 'The download failed. Please try again.' });
    } finally {
      void queryClient.invalidateQueries({ queryKey: trpc.account.balance.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.batches.quote.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.batches.recent.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.images.recent.queryKey() });
    }
  }

  const free = q ? q.payCount === 0 : false;
  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!running) onClose();
      }}
      title="Download all in HD"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={running}>
            {run.kind === 'finished' ? 'Close' : 'Cancel'}
          </Button>
          {run.kind === 'finished' ? null : (
            <Button
              onClick={() => void download()}
              loading={running}
              disabled={!q || short || running}
              data-testid="confirm-batch-hd"
            >
              {free
                ? `Download ${total} images again (free)`
                : `Download ${total} images for ${formatCredits(q?.costCredits ?? 0)}`}
            </Button>
          )}
        </>
      }
    >
      {quote.isLoading ? (
        <div className="bgr-row">
          <Spinner /> <span className="bgr-muted">Working out the price…</span>
        </div>
      ) : quote.error ? (
        <Alert tone="error">{quote.error.message}</Alert>
      ) : q ? (
        <div className="bgr-stack">
          {/* Once downloaded, the price and balance above would be out of date: the result says what changed. */}
          {run.kind === 'finished' ? null : (
            <dl className={styles.quoteList}>
              <div>
                <dt>Images</dt>
                <dd>{q.count}</dd>
              </div>
              <div>
                <dt>Price</dt>
                <dd data-testid="batch-cost">{free ? 'Free (already paid)' : formatCredits(q.costCredits)}</dd>
              </div>
              <div>
                <dt>Your balance</dt>
                <dd data-testid="batch-balance">{formatCredits(q.balanceCredits)}</dd>
              </div>
            </dl>
          )}
          <p className="bgr-muted" style={{ margin: 0, fontSize: '0.9rem' }}>
            {q.freeCount > 0 && !free
              ? `${q.payCount} image${q.payCount === 1 ? '' : 's'} at 1 credit each; ${q.freeCount} already paid for ${q.freeCount === 1 ? 'is' : 'are'} free. `
              : null}
            One ZIP of transparent PNGs (WebP for images above 10 megapixels). An image that cannot be prepared is not
            charged.
          </p>
          {short ? (
            <Alert tone="warning">
              {`You need ${formatCredits(q.costCredits)} to download these images in HD, but your balance is ${formatCredits(q.balanceCredits)}. `}
              <Link href="/dashboard">See your credits</Link>.
            </Alert>
          ) : null}
          {run.kind === 'running' ? (
            <div className="bgr-stack" data-testid="batch-progress">
              <span className="bgr-muted">
                {run.waitSeconds !== null
                  ? `The HD render limit is reached; continuing in ${run.waitSeconds} s…`
                  : `Preparing your images… ${Math.min(run.done, total)} of ${total}`}
              </span>
              <Progress value={Math.min(run.done, total) / Math.max(1, total)} label="Download progress" />
            </div>
          ) : null}
          {run.kind === 'error' ? <Alert tone="error">{run.message}</Alert> : null}
          {run.kind === 'finished' ? (
            <>
              <Alert tone="success">{run.message}</Alert>
              {run.failed.length > 0 ? (
                <Alert tone="error">
                  {`${run.failed.length} image${run.failed.length === 1 ? '' : 's'} could not be prepared and ${run.failed.length === 1 ? 'was' : 'were'} not charged:`}
                  <ul className={styles.failedList} data-testid="batch-failed">
                    {run.failed.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </Alert>
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
