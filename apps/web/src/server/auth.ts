/**
 * next-auth v4: email + password always, the company's OIDC provider when configured.
 * Sessions are JWTs carrying the user's id and role; the role and the disabled flag are
 * re-read from the database on every tRPC call and route handler (see trpc.ts / session-user.ts).
 */
import { getServerSession, type NextAuthOptions, type DefaultSession } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { Provider } from 'next-auth/providers/index';
import { getDb } from '@bgr/db/client';
import { findUserByEmail, upsertOidcUser, verifyPassword } from '@bgr/db/queries/users';
import { signupMode } from './signup-mode';

declare module 'next-auth' {
  interface Session {
    user: { id: string; role: 'user' | 'admin' } & DefaultSession['user'];
  }
  interface User {
    role?: 'user' | 'admin';
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    id?: string;
    role?: 'user' | 'admin';
  }
}

// Self-hosted behind whatever host name people use: without NEXTAUTH_URL, trust the Host header.
if (!process.env.NEXTAUTH_URL && !process.env.AUTH_TRUST_HOST) process.env.AUTH_TRUST_HOST = 'true';

export function oidcConfigured(): boolean {
  return Boolean(process.env.OIDC_ISSUER && process.env.OIDC_CLIENT_ID && process.env.OIDC_CLIENT_SECRET);
}

function providers(): Provider[] {
  const list: Provider[] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials) {
        const email = credentials?.email?.trim().toLowerCase();
        const password = credentials?.password;
        if (!email || !password) return null;
        const db = await getDb();
        // null for a wrong password, an unknown email or a disabled account.
        const user = await verifyPassword(db, email, password);
        if (!user || user.disabled) return null;
        return { id: user.id, email: user.email, name: user.name ?? null, role: user.role === 'admin' ? 'admin' : 'user' };
      },
    }),
  ];
  if (oidcConfigured()) {
    const issuer = process.env.OIDC_ISSUER!.replace(/\/$/, '');
    list.push({
      id: 'oidc',
      name: process.env.OIDC_NAME || 'Single sign-on',
      type: 'oauth',
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      issuer,
      clientId: process.env.OIDC_CLIENT_ID,
      clientSecret: process.env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile(profile: { sub: string; email?: string; name?: string; preferred_username?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.preferred_username ?? null };
      },
    });
  }
  return list;
}

export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: '/signin', error: '/signin' },
  providers: providers(),
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== 'oidc') return true;
      const email = user.email?.trim().toLowerCase();
      if (!email) return '/signin?error=OidcNoEmail';
      const db = await getDb();
      const existing = await findUserByEmail(db, email);
      if (existing?.disabled) return '/signin?error=AccountDisabled';
      // SIGNUP=off: SSO signs in existing accounts only; open/invite: the company SSO is the invitation.
      if (!existing && signupMode() === 'off') return '/signin?error=SignupClosed';
      const row = await upsertOidcUser(db, { email, name: user.name ?? undefined });
      if (row.disabled) return '/signin?error=AccountDisabled';
      return true;
    },
    async jwt({ token, user, account }) {
      if (user) {
        if (account?.provider === 'oidc') {
          const db = await getDb();
          const row = await findUserByEmail(db, (user.email ?? '').trim().toLowerCase());
          if (row) {
            token.id = row.id;
            token.role = row.role === 'admin' ? 'admin' : 'user';
            token.email = row.email;
          }
        } else {
          token.id = user.id;
          token.role = user.role ?? 'user';
        }
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user) {
        session.user.id = token.id ?? '';
        session.user.role = token.role ?? 'user';
      }
      return session;
    },
  },
};

/** The session in server components and route handlers (null when signed out). */
export function getServerAuthSession() {
  return getServerSession(authOptions);
}
