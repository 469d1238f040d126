/**
 * Whether the signed-in person is in a team, for the layout: the header shows the Team link only
 * then. One small read per page, like currentUser(); the Team page itself asks the router again.
 */
import { getDb } from '@bgr/db/client';
import { getTeamForUser } from '@bgr/db/queries/teams';

export async function currentTeamRole(userId: string): Promise<'owner' | 'member' | null> {
  const m = await getTeamForUser(await getDb(), userId, new Date());
  return m ? m.role : null;
}
