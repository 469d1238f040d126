import { redirect } from 'next/navigation';
import { currentUser } from '~/server/session-user';
import { RemoveBackground } from '~/components/remove/RemoveBackground';
import { TeamNotices } from '~/components/team/TeamNotices';
import { serverCaller } from '~/trpc/server';

export default async function HomePage() {
  const user = await currentUser();
  if (!user) redirect('/signin');
  // A team member near their cap, or a team near the end of its budget, reads it before uploading.
  const { caller } = await serverCaller();
  const notices = await caller.team.notices();
  return (
    <>
      <TeamNotices notices={notices} spaced />
      <RemoveBackground />
    </>
  );
}
