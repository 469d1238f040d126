'use client';
import { useState } from 'react';
import Link from 'next/link';
import { signIn } from 'next-auth/react';
import { Alert, Button } from '@bgr/ui';
import { localPath } from '~/lib/local-path';
import { signInErrorMessage } from '~/lib/sign-in-messages';
import styles from '../auth.module.css';

export function SignInForm({
  callbackUrl,
  initialError,
  oidc,
  signupOpen,
}: {
  callbackUrl: string;
  initialError: string | null;
  oidc: string | null;
  signupOpen: boolean;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    if (res?.ok && !res.error) {
      // A full navigation, so the server-rendered header picks up the new session.
      window.location.assign(localPath(callbackUrl, window.location.origin));
      return;
    }
    setBusy(false);
    const code = res?.error && res.error !== 'CredentialsSignin' ? res.error : 'CredentialsSignin';
    const hint = code === 'CredentialsSignin' && oidc ? ` If you sign in with ${oidc}, use the button below.` : '';
    setError(`${signInErrorMessage(code)}${hint}`);
  }

  return (
    <div className="bgr-stack">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <form className="bgr-stack" onSubmit={onSubmit} noValidate={false}>
        <div className="bgr-field">
          <label htmlFor="email">Email</label>
          <input className="bgr-input" id="email" name="email" type="email" autoComplete="email" required autoFocus />
        </div>
        <div className="bgr-field">
          <label htmlFor="password">Password</label>
          <input
            className="bgr-input"
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
        </div>
        <Button type="submit" size="lg" loading={busy}>
          Sign in
        </Button>
      </form>
      {oidc ? (
        <>
          <div className={styles.or}>
            <span>or</span>
          </div>
          <Button variant="secondary" size="lg" onClick={() => void signIn('oidc', { callbackUrl })}>
            Continue with {oidc}
          </Button>
        </>
      ) : null}
      <p className={styles.foot}>
        {signupOpen ? (
          <>
            New here? <Link href="/signup">Create an account</Link>
          </>
        ) : (
          'Accounts are created by an administrator.'
        )}
      </p>
    </div>
  );
}
