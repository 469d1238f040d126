import type { Metadata, Viewport } from 'next';
import '@bgr/ui/styles.css';
import { TRPCReactProvider } from '~/trpc/react';
import { currentUser } from '~/server/session-user';
import { SiteHeader } from '~/components/SiteHeader';
import { currentTeamRole } from '~/server/team-membership';
import { SiteFooter } from '~/components/SiteFooter';

export const metadata: Metadata = {
  title: { default: 'Remove background', template: '%s · Remove background' },
  description: 'Remove the background from photos in seconds.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#4f46e5' };

// Every page depends on who is signed in.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  const teamRole = user ? await currentTeamRole(user.id) : null;
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <TRPCReactProvider>
          <SiteHeader user={user} inTeam={teamRole !== null} />
          <main id="main" className="bgr-main">
            <div className="bgr-container">{children}</div>
          </main>
          <SiteFooter />
        </TRPCReactProvider>
      </body>
    </html>
  );
}
