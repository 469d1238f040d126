/** Creating a team (console or CLI): the team and its audit entry commit together; names are unique whatever their case. */
import type { Db } from '../../client';
import { inTransaction } from '../../queries/admin';
import { writeAudit } from '../../queries/audit';
import { createTeam } from '../../queries/teams';
import type { Team } from '../../schema';
import { type Actor, actorIdOf } from '../actor';

/** The audit details of `team.create`. */
export type CreateTeamDetails = { via: Actor['via']; teamId: string; team: string; at: string };

/** Throws TeamError ('invalid_name', 'team_exists') and records nothing then. */
export async function createTeamAction(
  db: Db,
  input: { actor: Actor; name: string; note?: string | null; now?: Date },
): Promise<Team> {
  const now = input.now ?? new Date();
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const team = await createTeam(tx, { name: input.name, now });
    const details: CreateTeamDetails = {
      via: input.actor.via,
      teamId: team.id,
      team: team.name,
      at: now.toISOString(),
    };
    await writeAudit(tx, { actorId, action: 'team.create', note: input.note ?? null, details });
    return team;
  });
}
