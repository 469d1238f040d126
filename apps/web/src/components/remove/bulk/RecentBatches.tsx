'use client';
/**
 * The recent-images list's bulk uploads: each batch is one group (its previews, how many are paid
 * for) that downloads again as one ZIP — free for the images already paid for.
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { BatchHdDialog } from './BatchHdDialog';
import styles from './bulk.module.css';

function when(d: string | Date): string {
  const date = typeof d === 'string' ? new Date(d) : d;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function RecentBatches() {
  const trpc = useTRPC();
  const batches = useQuery(trpc.batches.recent.queryOptions({ limit: 5 }));
  const [openIds, setOpenIds] = useState<string[] | null>(null);
  const list = batches.data ?? [];
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="recent-batches-title" className="bgr-stack">
      <h2 id="recent-batches-title">Recent batches</h2>
      <ul className={styles.queue} data-testid="recent-batches">
        {list.map((batch) => {
          const paid = batch.images.filter((img) => img.hdPaid).length;
          const all = paid === batch.images.length;
          return (
            <li key={batch.batchId} className={styles.batch}>
              <div className={styles.meta}>
                <span className={styles.name}>
                  {`${batch.images.length} image${batch.images.length === 1 ? '' : 's'}`}
                </span>
                <span className="bgr-muted">{when(batch.createdAt)}</span>
                <span className="bgr-muted">
                  {all ? 'All paid for in HD' : `${paid} of ${batch.images.length} paid for in HD`}
                </span>
              </div>
              <div className={styles.strip}>
                {batch.images.slice(0, 8).map((img) => (
                  <div key={img.id} className={`bgr-checkerboard ${styles.thumb}`}>
                    <img src={img.previewUrl} alt={img.originalName} loading="lazy" />
                  </div>
                ))}
              </div>
              <Button
                size="sm"
                variant="secondary"
                onClick={() => setOpenIds(batch.images.map((img) => img.id))}
                aria-label={`Download the batch of ${batch.images.length} images from ${when(batch.createdAt)}`}
              >
                {all ? 'Download all again (free)' : 'Download all in HD'}
              </Button>
            </li>
          );
        })}
      </ul>
      <BatchHdDialog open={openIds !== null} onClose={() => setOpenIds(null)} imageIds={openIds ?? []} />
    </section>
  );
}
