/**
 * The admin CLI's team commands run as processes against PostgreSQL, the way an operator runs them:
 * create a team, add an owner and a capped member, grant and plan the team's credits, read the
 * team's balance and a member's (their total counts the team part up to their cap), remove a member;
 * refusals are one line with exit code 1 (2 for bad usage), and every change is in the audit log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/client';
import { listAudit } from '../src/queries/audit';
import { withTestDb } from './support';
import { cli, ok } from './support/cli';

const CLI_TEST_TIMEOUT = 400_000;

describe('admin CLI team commands against PostgreSQL', () => {
  const ctx = withTestDb('postgres');
  let env: Record<string, string>;
  beforeAll(() => {
    env = { DATABASE_URL: ctx.url! };
  });

  it(
    'creates a team, adds members with a role and a cap, grants and plans its credits, reads balances, removes a member',
    async () => {
      const run = (...args: string[]) => cli(env, ...args);
      const at = '2027-05-10T09:00:00Z';
      ok(await run('create-user', '--email', 'owner@example.com', '--password', 'a good password'));
      ok(await run('create-user', '--email', 'member@example.com', '--password', 'a good password'));

      expect(ok(await run('team', 'create', '--name', 'Photo Studio'))).toMatchObject({
        name: 'Photo Studio',
        ownersManageMembers: false,
      });
      const dup = await run('team', 'create', '--name', 'photo studio');
      expect(dup.code).toBe(1);
      expect(dup.stderr).toBe('error: A team named photo studio already exists.\n');

      expect(
        ok(
          await run('team', 'add-member', '--team', 'Photo Studio', '--email', 'owner@example.com', '--role', 'owner'),
        ),
      ).toMatchObject({ team: 'Photo Studio', email: 'owner@example.com', role: 'owner', monthlyCap: null });
      expect(
        ok(
          await run(
            'team',
            'add-member',
            '--team',
            'Photo Studio',
            '--email',
            'member@example.com',
            '--monthly-cap',
            '1',
          ),
        ),
      ).toMatchObject({ role: 'member', monthlyCap: 1 });
      const again = await run('team', 'add-member', '--team', 'Photo Studio', '--email', 'member@example.com');
      expect(again.code).toBe(1);
      expect(again.stderr).toBe('error: This person is already in Photo Studio.\n');
      const badRole = await run(
        'team',
        'add-member',
        '--team',
        'Photo Studio',
        '--email',
        'x@example.com',
        '--role',
        'boss',
      );
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toMatch(/^error: --role must be one of owner, member, got "boss"\./);

      expect(
        ok(await run('grant', '--team', 'Photo Studio', '--credits', '10', '--kind', 'promo', '--at', at)),
      ).toMatchObject({ kind: 'promo', credits: 10 });
      ok(await run('grant', '--email', 'member@example.com', '--credits', '0.5', '--kind', 'payg', '--at', at));
      const both = await run(
        'grant',
        '--email',
        'member@example.com',
        '--team',
        'Photo Studio',
        '--credits',
        '1',
        '--kind',
        'payg',
      );
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/^error: grant needs --email E \(a person\) or --team N \(a team\), one of them\./);
      const noTeam = await run('grant', '--team', 'Nobody', '--credits', '1', '--kind', 'payg');
      expect(noTeam.code).toBe(1);
      expect(noTeam.stderr).toBe('error: No team named Nobody.\n');

      expect(ok(await run('balance', '--team', 'Photo Studio', '--at', at))).toEqual({
        total: 10,
        subscription: 0,
        rollover: 0,
        payg: 0,
        promo: 10,
        held: 0,
        nextExpiries: [],
        team: null,
      });
      expect(ok(await run('balance', '--email', 'member@example.com', '--at', at))).toMatchObject({
        total: 1.5,
        payg: 0.5,
        team: { name: 'Photo Studio', available: 1, capLeft: 1 },
      });
      expect(ok(await run('balance', '--email', 'owner@example.com', '--at', at))).toMatchObject({
        total: 10,
        team: { name: 'Photo Studio', available: 10, capLeft: null },
      });

      expect(ok(await run('subscribe', '--team', 'Photo Studio', '--monthly-credits', '5', '--at', at))).toMatchObject({
        monthlyCredits: 5,
        status: 'active',
      });
      expect(ok(await run('balance', '--team', 'Photo Studio', '--at', at))).toMatchObject({
        total: 15,
        subscription: 5,
      });
      ok(await run('change-plan', '--team', 'Photo Studio', '--monthly-credits', '8', '--at', '2027-05-20T00:00:00Z'));
      expect(ok(await run('cancel', '--team', 'Photo Studio', '--at', '2027-05-21T00:00:00Z'))).toMatchObject({
        monthlyCredits: 8,
        cancelAtPeriodEnd: true,
      });
      expect(
        ok(
          await run(
            'team',
            'set-cap',
            '--team',
            'Photo Studio',
            '--email',
            'member@example.com',
            '--monthly-cap',
            'none',
          ),
        ),
      ).toMatchObject({ monthlyCap: null });
      expect(ok(await run('team', 'list'))).toEqual([expect.objectContaining({ name: 'Photo Studio', members: 2 })]);

      expect(
        ok(await run('team', 'remove-member', '--team', 'Photo Studio', '--email', 'member@example.com')),
      ).toMatchObject({ email: 'member@example.com', removed: true });
      expect(ok(await run('balance', '--email', 'member@example.com', '--at', at))).toMatchObject({
        total: 0.5,
        team: null,
      });
      const notIn = await run('team', 'remove-member', '--team', 'Photo Studio', '--email', 'member@example.com');
      expect(notIn.code).toBe(1);
      expect(notIn.stderr).toBe('error: This person is not a member of that team.\n');
      expect(ok(await run('reconcile'))).toMatchObject({ ok: true });

      const handle = await createDb({ url: ctx.url! });
      try {
        const actions = (await listAudit(handle.db, { limit: 50 })).map((a) => a.action).reverse();
        expect(actions).toEqual([
          'user.create',
          'user.create',
          'team.create',
          'team.member.add',
          'team.member.add',
          'credits.grant',
          'credits.grant',
          'subscription.start',
          'subscription.change',
          'subscription.cancel',
          'team.member.cap',
          'team.member.remove',
        ]);
        const teamGrant = (await listAudit(handle.db, { action: 'credits.grant' })).at(-1)!;
        expect(teamGrant).toMatchObject({
          actorId: null,
          targetUserId: null,
          details: { via: 'cli', team: 'Photo Studio', kind: 'promo', units: 40 },
        });
      } finally {
        await handle.close();
      }
    },
    CLI_TEST_TIMEOUT,
  );
});
