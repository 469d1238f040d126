/**
 * next-auth v4: email + password always, the company's OIDC provider when configured.
 * Sessions are JWTs carrying the user's id, role and session version; the jwt callback re-reads
 * the account on every session read and drops a token whose version is older than the account's
 * (its sessions were ended) or whose account is gone or disabled. The role and the disabled flag
 * are also re-read on every tRPC call and route handler (see trpc.ts / session-user.ts).
 *
 * Password sign-in is throttled per email and per client address (signin-throttle.ts); SSO
 * sign-ins find, attach or create their account under @bgr/db's sso rules; every redirect after
 * signing in stays on this site (lib/local-path.ts).
 *
 * Configuration (OIDC_*, SIGNUP, NEXTAUTH_SECRET, TRUSTED_PROXIES) comes from env() when it is
 * used, never at import: `next build` loads this module before the secrets exist. The options'
 * providers and secret are getters for that reason.
 */
import { getServerSession, type NextAuthOptions, type DefaultSession, type Session } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { Provider } from 'next-auth/providers/index';
import { getDb } from '@bgr/db/client';
import { findUserBySsoIdentity, ssoSignIn, type SsoRefusal } from '@bgr/db/queries/sso';
import { getUser, normalizeEmail, verifyPassword } from '@bgr/db/queries/users';
import { env, type WebEnv } from '~/env';
import { localPath } from '~/lib/local-path';
import { SIGN_IN_THROTTLED, SSO_EMAIL_UNVERIFIED, SSO_LINKED_ELSEWHERE } from '~/lib/sign-in-messages';
import { clientAddress } from './client-address';
import { beginSignInAttempt } from './signin-throttle';

declare module 'next-auth' {
  interface Session {
    user: { id: string; role: 'user' | 'admin' } & DefaultSession['user'];
  }
  interface User {
    role?: 'user' | 'admin';
    sessionVersion?: number;
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    id?: string;
    role?: 'user' | 'admin';
    /** The account's session_version when this token was issued (absent: 0). */
    sv?: number;
  }
}

/** The configured issuer, as SSO identities are stored with it (no trailing slash). */
function oidcIssuer(): string {
  return env().auth.oidc?.issuer ?? '';
}

/** next-auth hands authorize() the request headers as a plain object; clientAddress wants a Request. */
function addressOf(headers: Record<string, unknown> | undefined): string {
  const h = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) {
    try {
      if (typeof value === 'string') h.set(name, value);
      else if (Array.isArray(value)) for (const v of value) h.append(name, String(v));
    } catch {
      // A header name Headers refuses (e.g. an HTTP/2 pseudo-header): not one we read.
    }
  }
  return clientAddress(new Request('http://local.invalid/', { headers: h }), env().trustedProxies);
}

/** `email_verified` as providers send it: a boolean, or the string "true" (some userinfo endpoints). */
function emailVerified(profile: unknown): boolean {
  const v = (profile as { email_verified?: unknown } | undefined)?.email_verified;
  return v === true || v === 'true';
}

const SSO_ERRORS: Record<SsoRefusal, string> = {
  disabled: 'AccountDisabled',
  signup_closed: 'SignupClosed',
  email_unverified: SSO_EMAIL_UNVERIFIED,
  linked_elsewhere: SSO_LINKED_ELSEWHERE,
};

function providers(config: WebEnv['auth']): Provider[] {
  const list: Provider[] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials, req) {
        const email = normalizeEmail(credentials?.email ?? '');
        const password = credentials?.password;
        // No address is longer than 254 characters; nothing to count or check.
        if (!email || !password || email.length > 254) return null;
        const db = await getDb();
        const attempt = await beginSignInAttempt(db, email, addressOf(req?.headers));
        // next-auth passes the message on as the error code (`?error=SignInThrottled`); the route answers 429.
        if (!attempt.ok) throw new Error(SIGN_IN_THROTTLED);
        // null for a wrong password, an unknown email, a disabled or SSO-only account (same time for each).
        const user = await verifyPassword(db, email, password);
        if (!user) return null;
        await attempt.succeeded();
        return {
          id: user.id,
          email: user.email,
          name: user.name ?? null,
          role: user.role,
          sessionVersion: user.sessionVersion,
        };
      },
    }),
  ];
  if (config.oidc) {
    const { issuer, clientId, clientSecret } = config.oidc;
    list.push({
      id: 'oidc',
      name: config.oidcName,
      type: 'oauth',
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      issuer,
      clientId,
      clientSecret,
      authorization: { params: { scope: 'openid email profile' } },
      // The ID token is verified (issuer, audience, signature from the provider's JWKS) ...
      idToken: true,
      checks: ['pkce', 'state'],
      // ... and its claims are completed by the userinfo endpoint, where OIDC puts the `email` and
      // `email_verified` of the code flow (userinfo's `sub` must match the ID token's; userinfo wins).
      userinfo: {
        async request({ client, tokens }) {
          // next-auth passes openid-client's TokenSet (typed as its plain parameters).
          const set = tokens as unknown as Parameters<typeof client.userinfo>[0] & {
            access_token?: string;
            claims(): Record<string, unknown>;
          };
          const claims = set.claims();
          if (!client.issuer.metadata.userinfo_endpoint || !set.access_token) return claims;
          return { ...claims, ...(await client.userinfo(set)) };
        },
      },
      profile(profile: { sub: string; email?: string; name?: string; preferred_username?: string }) {
        return {
          id: profile.sub,
          email: profile.email ?? null,
          name: profile.name ?? profile.preferred_username ?? null,
        };
      },
    });
  }
  return list;
}

/** The providers for the current configuration, rebuilt only when it changes. */
let built: { config: WebEnv['auth']; list: Provider[] } | undefined;
function currentProviders(): Provider[] {
  const config = env().auth;
  if (built?.config !== config) built = { config, list: providers(config) };
  return built.list;
}

export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: '/signin', error: '/signin' },
  get providers() {
    return currentProviders();
  },
  // NEXTAUTH_SECRET (or AUTH_SECRET) passed in; next-auth never needs to look for it.
  get secret() {
    return env().auth.secret;
  },
  // next-auth fills a missing secret from the same two variables (`options.secret ??= …`): nothing to keep.
  set secret(_fromNextAuth: string | undefined) {},
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== 'oidc') return true;
      const email = user.email ? normalizeEmail(user.email) : '';
      if (!email) return '/signin?error=OidcNoEmail';
      const db = await getDb();
      // SIGNUP=off: SSO signs in existing accounts only; open/invite: the company SSO is the invitation.
      const outcome = await ssoSignIn(
        db,
        {
          issuer: oidcIssuer(),
          subject: account.providerAccountId,
          email,
          emailVerified: emailVerified(profile),
          name: user.name ?? null,
        },
        { mayCreate: env().signup !== 'off' },
      );
      return outcome.ok ? true : `/signin?error=${SSO_ERRORS[outcome.reason]}`;
    },
    async jwt({ token, user, account }) {
      const db = await getDb();
      if (user) {
        // Signing in: our account's id, role and session version, never the provider's subject.
        if (account?.provider === 'oidc') {
          const row = await findUserBySsoIdentity(db, oidcIssuer(), account.providerAccountId);
          if (!row || row.disabled) return {};
          return { ...token, id: row.id, role: row.role, email: row.email, sv: row.sessionVersion };
        }
        return { ...token, id: user.id, role: user.role ?? 'user', sv: user.sessionVersion ?? 0 };
      }
      // Every later read: a token from before its account's sessions were ended carries nothing.
      if (!token.id) return {};
      const row = await getUser(db, token.id);
      if (!row || row.disabled || row.sessionVersion !== (token.sv ?? 0)) return {};
      return { ...token, role: row.role };
    },
    async session({ session, token }) {
      // No id: signed out (getServerSession answers null for an empty session, the browser sees none).
      if (!token?.id) return {} as Session;
      if (session.user) {
        session.user.id = token.id;
        session.user.role = token.role ?? 'user';
      }
      return session;
    },
    /** After signing in or out: a path on this site only (`/\evil`, `//evil`, `https://evil` become `/`). */
    async redirect({ url, baseUrl }) {
      const origin = new URL(baseUrl).origin;
      return `${origin}${localPath(url, origin)}`;
    },
  },
};

/** The session in server components and route handlers (null when signed out). */
export function getServerAuthSession() {
  return getServerSession(authOptions);
}
