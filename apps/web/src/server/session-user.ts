/**
 * The signed-in user for route handlers and server components, read fresh from the database:
 * a disabled account or a changed role takes effect immediately, whatever the JWT says.
 */
import { getDb } from '@bgr/db/client';
import { getUser } from '@bgr/db/queries/users';
import { getServerAuthSession } from './auth';
import { type ContextUser, toContextUser } from './api/trpc';
import { noteUser } from './logging/context';

export async function currentUser(): Promise<ContextUser | null> {
  const session = await getServerAuthSession();
  const id = session?.user?.id;
  if (!id) return null;
  const db = await getDb();
  const row = await getUser(db, id);
  if (!row || row.disabled) return null;
  noteUser(row.id);
  return toContextUser(row);
}
