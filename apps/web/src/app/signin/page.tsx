import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '~/server/session-user';
import { oidcConfigured } from '~/server/auth';
import { signupMode } from '~/server/signup-mode';
import { SignInForm } from './SignInForm';
import styles from '../auth.module.css';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  CredentialsSignin: 'That email and password do not match an active account.',
  AccountDisabled: 'This account has been disabled. Please contact an administrator.',
  SignupClosed: 'There is no account for you yet, and sign-up is closed. Please ask an administrator.',
  OidcNoEmail: 'Your single sign-on account did not share an email address.',
  AccessDenied: 'You are not allowed to sign in.',
};

function safeCallback(url: string | undefined): string {
  return url && url.startsWith('/') && !url.startsWith('//') ? url : '/';
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const error = params.error ? (ERRORS[params.error] ?? 'Sign-in failed. Please try again.') : null;
  return (
    <div className={styles.wrap}>
      <div className={`bgr-card ${styles.card}`}>
        <h1>Sign in</h1>
        <p className="bgr-muted">Remove backgrounds from your photos in seconds.</p>
        <SignInForm
          callbackUrl={callbackUrl}
          initialError={error}
          oidc={oidcConfigured() ? process.env.OIDC_NAME || 'Single sign-on' : null}
          signupOpen={signupMode() === 'open'}
        />
      </div>
    </div>
  );
}
