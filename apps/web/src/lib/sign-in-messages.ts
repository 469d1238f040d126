/**
 * The sentences people see when signing in or up goes wrong, by the error code next-auth puts in
 * `/signin?error=…` (or returns to `signIn(…, { redirect: false })`). One place, so the sign-in
 * page, the sign-in form and the sign-up form say the same thing.
 */
export const SIGN_IN_THROTTLED = 'SignInThrottled';
export const SSO_EMAIL_UNVERIFIED = 'SsoEmailUnverified';
export const SSO_LINKED_ELSEWHERE = 'SsoLinkedElsewhere';

const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'That email and password do not match an active account.',
  [SIGN_IN_THROTTLED]:
    'Too many failed sign-in attempts for this email address or from your network. Please wait 15 minutes and try again.',
  AccountDisabled: 'This account has been disabled. Please contact an administrator.',
  SignupClosed: 'There is no account for you yet, and sign-up is closed. Please ask an administrator.',
  OidcNoEmail: 'Your single sign-on account did not share an email address.',
  [SSO_EMAIL_UNVERIFIED]:
    'An account with your email address already exists, and your single sign-on provider did not confirm that the address is yours, so the two were not connected. Please ask whoever runs your sign-on to verify your email address, then try again.',
  [SSO_LINKED_ELSEWHERE]:
    'The account with your email address is already connected to another single sign-on identity. Please ask an administrator.',
  AccessDenied: 'You are not allowed to sign in.',
};

/** The sentence for a next-auth error code; a general one for codes we do not know. */
export function signInErrorMessage(code: string): string {
  return MESSAGES[code] ?? 'Sign-in failed. Please try again.';
}

/**
 * What sign-up says when it cannot sign the person in at once: the same whether the address was
 * new (a sign-in problem), already had an account, or is in use by someone else.
 */
export const SIGN_UP_FOLLOW_UP = 'If this address can be used, your account is ready. Please sign in with it.';
