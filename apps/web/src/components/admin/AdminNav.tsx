'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import styles from './admin.module.css';

const LINKS = [
  { href: '/admin', label: 'Users' },
  { href: '/admin/teams', label: 'Teams' },
  { href: '/admin/usage', label: 'Usage' },
  { href: '/admin/audit', label: 'Audit log' },
  { href: '/admin/improvements', label: 'Improvement images' },
  { href: '/admin/feedback', label: 'Help feedback' },
  { href: '/admin/system', label: 'System' },
];

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav className={styles.tabs} aria-label="Admin sections">
      {LINKS.map((l) => {
        const current =
          l.href === '/admin'
            ? pathname === '/admin' || pathname.startsWith('/admin/users')
            : pathname.startsWith(l.href);
        return (
          <Link key={l.href} href={l.href} aria-current={current ? 'page' : undefined}>
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
