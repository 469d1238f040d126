import Link from 'next/link';
import styles from './site-footer.module.css';

/** The footer of every page (root layout): where to look before opening a ticket. */
export function SiteFooter() {
  return (
    <footer className={styles.footer}>
      <div className={`bgr-container ${styles.inner}`}>
        <nav aria-label="Footer" className={styles.links}>
          <Link href="/status">Platform status</Link>
          <Link href="/help">Help</Link>
        </nav>
        <span className={styles.note}>Self-hosted background removal</span>
      </div>
    </footer>
  );
}
