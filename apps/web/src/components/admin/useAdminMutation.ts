'use client';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';

/** After an admin change the server-rendered page is re-read, so every number on it is fresh. */
export function useRefresh() {
  const router = useRouter();
  const [refreshing, startTransition] = useTransition();
  return { refreshing, refresh: () => startTransition(() => router.refresh()) };
}
