'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { useQuery } from '@tanstack/react-query';
import { Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { formatCredits } from '@bgr/credits';
import type { ContextUser } from '~/server/api/trpc';

const LINKS = [
  { href: '/', label: 'Remove background' },
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/api-keys', label: 'API keys' },
  { href: '/help', label: 'Help' },
];

/** The Team link shows only for people in a team (the layout asks); Admin only for admins. */
export function SiteHeader({ user, inTeam = false }: { user: ContextUser | null; inTeam?: boolean }) {
  const pathname = usePathname();
  const links = [
    ...LINKS.slice(0, 2),
    ...(inTeam ? [{ href: '/team', label: 'Team' }] : []),
    ...LINKS.slice(2),
    ...(user?.role === 'admin' ? [{ href: '/admin', label: 'Admin' }] : []),
  ];
  return (
    <header className="bgr-header">
      <div className="bgr-container bgr-header__inner">
        <Link href="/" className="bgr-brand">
          <svg className="bgr-brand__mark" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="8" fill="var(--accent)" />
            <path d="M8 8h8v8H8zM16 16h8v8h-8z" fill="#c7d2fe" />
            <circle cx="16" cy="13" r="4.2" fill="#fff" />
            <path d="M8.5 25c.8-4.6 3.8-7 7.5-7s6.7 2.4 7.5 7z" fill="#fff" />
          </svg>
          <span>Cutout</span>
        </Link>
        {user ? (
          <nav className="bgr-nav" aria-label="Main">
            {links.map((l) => {
              const current =
                l.href === '/' ? pathname === '/' : pathname === l.href || pathname.startsWith(`${l.href}/`);
              return (
                <Link key={l.href} href={l.href} aria-current={current ? 'page' : undefined}>
                  {l.label}
                </Link>
              );
            })}
          </nav>
        ) : (
          <div style={{ flex: 1 }} />
        )}
        <div className="bgr-header__user">
          {user ? (
            <>
              <BalancePill />
              <span className="bgr-header__email" title={user.email}>
                {user.name || user.email}
              </span>
              <Button variant="secondary" size="sm" onClick={() => void signOut({ callbackUrl: '/signin' })}>
                Sign out
              </Button>
            </>
          ) : pathname !== '/signin' ? (
            <Link href="/signin">Sign in</Link>
          ) : null}
        </div>
      </div>
    </header>
  );
}

function BalancePill() {
  const trpc = useTRPC();
  const balance = useQuery(trpc.account.balance.queryOptions());
  if (!balance.data) return null;
  return (
    <span className="bgr-pill" data-testid="header-balance" title="Credits you can spend now">
      {formatCredits(balance.data.credits)}
    </span>
  );
}
