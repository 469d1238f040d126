/**
 * The team notices people see on the dashboard and the home page: a member who has used 80 % of
 * their monthly cap, and a team that has used 80 % of its period's budget (remove.bg e-mails at
 * 80 %; a sentence on the page is enough here). Pure: numbers in, sentences out, so the threshold
 * and the wording are tested without a database.
 */
import { formatCredits, formatCreditsNumber, unitsToCredits } from '@bgr/credits';

/** From this share of a cap or a budget on, the notice shows. */
export const NOTICE_SHARE = 0.8;

export type TeamNoticeInput = {
  teamName: string;
  role: 'owner' | 'member';
  /** The person's monthly cap on team credits (null: no cap) and what they drew from the team this month. */
  capUnits: number | null;
  capUsedUnits: number;
  /**
   * The team's budget for its current period and what the team has spent of it: with a plan, the
   * monthly budget and the plan period; without one, what the team had this calendar month.
   * null when the team has nothing to spend this period.
   */
  budgetUnits: number | null;
  budgetUsedUnits: number;
};

export type TeamNotice = { kind: 'cap' | 'team'; tone: 'warning' | 'error'; sentence: string };

/** used ÷ limit, 0 for an empty limit. */
export function shareOf(used: number, limit: number): number {
  return limit > 0 ? used / limit : 0;
}

const percent = (share: number) => `${Math.floor(share * 100)} %`;
const n = (units: number) => formatCreditsNumber(unitsToCredits(units));

export function teamNotices(input: TeamNoticeInput): TeamNotice[] {
  const notices: TeamNotice[] = [];
  if (input.capUnits !== null && input.capUnits > 0) {
    const share = shareOf(input.capUsedUnits, input.capUnits);
    if (share >= 1) {
      notices.push({
        kind: 'cap',
        tone: 'error',
        sentence: `You have used all ${formatCredits(unitsToCredits(input.capUnits))} of your monthly cap on ${input.teamName}'s credits; until the month ends, downloads use your own credits.`,
      });
    } else if (share >= NOTICE_SHARE) {
      notices.push({
        kind: 'cap',
        tone: 'warning',
        sentence: `You have used ${n(input.capUsedUnits)} of your ${n(input.capUnits)} team credits this month (${percent(share)} of your cap).`,
      });
    }
  }
  if (input.budgetUnits !== null && input.budgetUnits > 0) {
    const share = shareOf(input.budgetUsedUnits, input.budgetUnits);
    if (share >= NOTICE_SHARE) {
      notices.push({
        kind: 'team',
        tone: share >= 1 ? 'error' : 'warning',
        sentence:
          input.role === 'owner'
            ? `${input.teamName} has used ${n(input.budgetUsedUnits)} of its ${n(input.budgetUnits)} credits for this period (${percent(share)}). Ask an administrator for more credits before it runs out.`
            : `${input.teamName} has used ${percent(share)} of its credits for this period; team credits may run out before the period ends.`,
      });
    }
  }
  return notices;
}
