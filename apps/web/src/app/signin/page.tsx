import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser } from '~/server/session-user';
import { env } from '~/env';
import { localPath } from '~/lib/local-path';
import { signInErrorMessage } from '~/lib/sign-in-messages';
import { SignInForm } from './SignInForm';
import styles from '../auth.module.css';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  // A path on this site only: `/\evil` or `//evil` would send the browser to another host.
  const callbackUrl = localPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const error = params.error ? signInErrorMessage(params.error) : null;
  return (
    <div className={styles.wrap}>
      <div className={`bgr-card ${styles.card}`}>
        <h1>Sign in</h1>
        <p className="bgr-muted">Remove backgrounds from your photos in seconds.</p>
        <SignInForm
          callbackUrl={callbackUrl}
          initialError={error}
          oidc={env().auth.oidc ? env().auth.oidcName : null}
          signupOpen={env().signup === 'open'}
        />
      </div>
    </div>
  );
}
