'use client';
import { useState } from 'react';
import Link from 'next/link';
import { signIn } from 'next-auth/react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button } from '@bgr/ui';
import { useTRPC } from '~/trpc/react';
import { SIGN_IN_THROTTLED, SIGN_UP_FOLLOW_UP, signInErrorMessage } from '~/lib/sign-in-messages';
import styles from '../auth.module.css';

export function SignUpForm() {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const [followUp, setFollowUp] = useState<string | null>(null);
  const signUp = useMutation(trpc.account.signUp.mutationOptions());

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    setError(null);
    setFollowUp(null);
    try {
      await signUp.mutateAsync({ email, password, name: String(form.get('name') ?? '') || undefined });
    } catch (err) {
      const zod = (err as { data?: { zodError?: string[] | null } }).data?.zodError;
      setError(zod?.[0] ?? (err instanceof Error ? err.message : 'Sign-up failed. Please try again.'));
      return;
    }
    const res = await signIn('credentials', { email, password, redirect: false });
    if (res?.ok && !res.error) {
      window.location.assign('/');
      return;
    }
    // Not signed in: the address may already have had an account. Say the same thing either way.
    setFollowUp(res?.error === SIGN_IN_THROTTLED ? signInErrorMessage(SIGN_IN_THROTTLED) : SIGN_UP_FOLLOW_UP);
  }

  return (
    <div className="bgr-stack">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {followUp ? (
        <Alert tone="info">
          {followUp} <Link href="/signin">Go to sign in</Link>
        </Alert>
      ) : null}
      <form className="bgr-stack" onSubmit={onSubmit}>
        <div className="bgr-field">
          <label htmlFor="name">
            Name <span className="bgr-muted">(optional)</span>
          </label>
          <input className="bgr-input" id="name" name="name" autoComplete="name" />
        </div>
        <div className="bgr-field">
          <label htmlFor="email">Email</label>
          <input className="bgr-input" id="email" name="email" type="email" autoComplete="email" required />
        </div>
        <div className="bgr-field">
          <label htmlFor="password">Password</label>
          <input
            className="bgr-input"
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            aria-describedby="pw-hint"
          />
          <span id="pw-hint" className="bgr-muted" style={{ fontSize: '0.85rem' }}>
            At least 8 characters.
          </span>
        </div>
        <Button type="submit" size="lg" loading={signUp.isPending}>
          Create account
        </Button>
      </form>
      <p className={styles.foot}>
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </div>
  );
}
