'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { useQuery } from '@tanstack/react-query';
import { Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { formatCredits } from '~/lib/format';
import type { ContextUser } from '~/server/api/trpc';

const LINKS = [
  { href: '/', label: 'Remove background' },
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/api-keys', label: 'API keys' },
  { href: '/help', label: 'Help' },
];

export function SiteHeader({ user }: { user: ContextUser | null }) {
  const pathname = usePathname();
  const links = user?.role === 'admin' ? [...LINKS, { href: '/admin', label: 'Admin' }] : LINKS;
  return (
    <header className="bgr-header">
      <div className="bgr-container bgr-header__inner">
        <Link href="/" className="bgr-brand">
          <span className="bgr-brand__mark" aria-hidden="true" />
          <span>Cutout</span>
        </Link>
        {user ? (
          <nav className="bgr-nav" aria-label="Main">
            {links.map((l) => {
              const current = l.href === '/' ? pathname === '/' : pathname === l.href || pathname.startsWith(`${l.href}/`);
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
              <span className="bgr-header__email" title={user.email}>{user.name || user.email}</span>
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
