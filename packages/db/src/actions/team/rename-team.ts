/** Renaming a team (console or CLI), audited with the old and the new name. */
import type { Db } from '../../client';
import { inTransaction } from '../../queries/admin';
import { writeAudit } from '../../queries/audit';
import { renameTeam } from '../../queries/teams';
import type { Team } from '../../schema';
import { type Actor, actorIdOf, loadTeam, type TeamRef } from '../actor';

/** The audit details of `team.rename`. */
export type RenameTeamDetails = { via: Actor['via']; teamId: string; from: string; team: string };

/** Throws TeamError ('team_not_found', 'invalid_name', 'team_exists'). */
export async function renameTeamAction(
  db: Db,
  input: { actor: Actor; team: TeamRef; name: string; note?: string | null },
): Promise<Team> {
  const before = await loadTeam(db, input.team);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const team = await renameTeam(tx, { teamId: before.id, name: input.name });
    const details: RenameTeamDetails = { via: input.actor.via, teamId: team.id, from: before.name, team: team.name };
    await writeAudit(tx, { actorId, action: 'team.rename', note: input.note ?? null, details });
    return team;
  });
}
