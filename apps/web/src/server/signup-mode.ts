/** SIGNUP=open|invite|off (default open). Who may create an account by themselves. */
export type SignupMode = 'open' | 'invite' | 'off';

export function signupMode(): SignupMode {
  const v = (process.env.SIGNUP ?? 'open').trim().toLowerCase();
  return v === 'invite' || v === 'off' ? v : 'open';
}
