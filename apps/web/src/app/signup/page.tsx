import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Alert } from '@bgr/ui';
import { currentUser } from '~/server/session-user';
import { env } from '~/env';
import { SignUpForm } from './SignUpForm';
import styles from '../auth.module.css';

export const metadata: Metadata = { title: 'Create an account' };

export default async function SignUpPage() {
  if (await currentUser()) redirect('/');
  const mode = env().signup;
  return (
    <div className={styles.wrap}>
      <div className={`bgr-card ${styles.card}`}>
        <h1>Create an account</h1>
        {mode === 'open' ? (
          <SignUpForm />
        ) : (
          <div className="bgr-stack">
            <Alert tone="info">
              {mode === 'invite'
                ? 'Accounts are by invitation. Please ask an administrator to create one for you, or use single sign-on if your company has it.'
                : 'Sign-up is closed. Please ask an administrator for an account.'}
            </Alert>
            <p className={styles.foot}>
              Already have an account? <Link href="/signin">Sign in</Link>
            </p>
          </div>
        )}
      </div>
    </div>
  );
}
