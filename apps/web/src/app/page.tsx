import { redirect } from 'next/navigation';
import { currentUser } from '~/server/session-user';
import { RemoveBackground } from '~/components/remove/RemoveBackground';

export default async function HomePage() {
  const user = await currentUser();
  if (!user) redirect('/signin');
  return <RemoveBackground />;
}
