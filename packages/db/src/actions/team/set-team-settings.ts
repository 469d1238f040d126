/** An admin's team settings (whether owners may manage members and caps), audited with before and after. */
import type { Db } from '../../client';
import { inTransaction } from '../../queries/admin';
import { writeAudit } from '../../queries/audit';
import { setTeamSettings } from '../../queries/teams';
import type { Team } from '../../schema';
import { type Actor, actorIdOf, loadTeam, type TeamRef } from '../actor';

/** The audit details of `team.settings`. */
export type TeamSettingsDetails = {
  via: Actor['via'];
  teamId: string;
  team: string;
  ownersManageMembers: boolean;
  was: boolean;
};

/** Throws TeamError ('team_not_found'). */
export async function setTeamSettingsAction(
  db: Db,
  input: { actor: Actor; team: TeamRef; ownersManageMembers: boolean; note?: string | null },
): Promise<Team> {
  const before = await loadTeam(db, input.team);
  const actorId = actorIdOf(input.actor);
  return inTransaction(db, async (tx) => {
    const team = await setTeamSettings(tx, { teamId: before.id, ownersManageMembers: input.ownersManageMembers });
    const details: TeamSettingsDetails = {
      via: input.actor.via,
      teamId: team.id,
      team: team.name,
      ownersManageMembers: team.ownersManageMembers,
      was: before.ownersManageMembers,
    };
    await writeAudit(tx, { actorId, action: 'team.settings', note: input.note ?? null, details });
    return team;
  });
}
