'use client';
import { Button, Spinner } from '@bgr/ui';
import type { UploadedImage } from './upload';
import styles from './remove.module.css';

function when(d: string | Date): string {
  const date = typeof d === 'string' ? new Date(d) : d;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function RecentImages({
  images,
  loading,
  activeId,
  onOpen,
}: {
  images: UploadedImage[];
  loading: boolean;
  activeId: string | null;
  onOpen: (image: UploadedImage) => void;
}) {
  if (loading)
    return (
      <div className="bgr-row">
        <Spinner /> <span className="bgr-muted">Loading your recent images…</span>
      </div>
    );
  if (images.length === 0) return null;
  return (
    <section aria-labelledby="recent-title" className="bgr-stack">
      <h2 id="recent-title">Recent images</h2>
      <ul className={styles.recent} data-testid="recent-images">
        {images.map((img) => (
          <li
            key={img.id}
            className={img.id === activeId ? `${styles.recentItem} ${styles.recentActive}` : styles.recentItem}
          >
            <div className={`bgr-checkerboard ${styles.thumb}`}>
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={img.previewUrl} alt="" loading="lazy" />
            </div>
            <div className={styles.recentMeta}>
              <span className={styles.recentName} title={img.originalName}>
                {img.originalName}
              </span>
              <span className="bgr-muted">{when(img.createdAt)}</span>
              <span className={img.hdPaid ? styles.badgePaid : styles.badge}>{img.hdPaid ? 'HD paid' : 'Preview'}</span>
            </div>
            <Button size="sm" variant="secondary" onClick={() => onOpen(img)} aria-label={`Open ${img.originalName}`}>
              {img.hdPaid ? 'Open · re-download' : 'Open'}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
