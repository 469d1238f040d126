/** The team notices' thresholds and sentences: from 80 % of a member's cap and of a team's budget. */
import { describe, expect, it } from 'vitest';
import { teamNotices, type TeamNoticeInput } from '~/lib/team-banners';

const base: TeamNoticeInput = {
  teamName: 'Studio',
  role: 'member',
  capUnits: 40,
  capUsedUnits: 0,
  budgetUnits: 400,
  budgetUsedUnits: 0,
};

describe('team notices', () => {
  it('says nothing below 80 %, and nothing without a cap or a budget', () => {
    expect(teamNotices({ ...base, capUsedUnits: 31, budgetUsedUnits: 319 })).toEqual([]);
    expect(teamNotices({ ...base, capUnits: null, capUsedUnits: 1000, budgetUnits: null, budgetUsedUnits: 5 })).toEqual(
      [],
    );
  });

  it('warns a member from 80 % of their cap, and says when it is used up', () => {
    const [at80] = teamNotices({ ...base, capUsedUnits: 32 });
    expect(at80).toMatchObject({ kind: 'cap', tone: 'warning' });
    expect(at80!.sentence).toBe('You have used 8 of your 10 team credits this month (80 % of your cap).');
    const [full] = teamNotices({ ...base, capUsedUnits: 40 });
    expect(full).toMatchObject({ kind: 'cap', tone: 'error' });
    expect(full!.sentence).toContain('all 10 credits of your monthly cap');
  });

  it("tells owners the team's numbers from 80 % of its budget, and members only the share", () => {
    const owner = teamNotices({ ...base, role: 'owner', capUnits: null, budgetUsedUnits: 330 });
    expect(owner).toEqual([
      {
        kind: 'team',
        tone: 'warning',
        sentence:
          'Studio has used 82.5 of its 100 credits for this period (82 %). Ask an administrator for more credits before it runs out.',
      },
    ]);
    const member = teamNotices({ ...base, budgetUsedUnits: 330 });
    expect(member.map((n) => n.kind)).toEqual(['team']);
    expect(member[0]!.sentence).not.toMatch(/\d+(\.\d+)? of its/);
    expect(member[0]!.sentence).toContain('82 %');
  });
});
